/** Which service protection limit turned a Web API request away, with Dataverse's own error. */
export interface ServiceProtectionRefusal {
  readonly limit: 'requests' | 'concurrent';
  readonly retryAfterSec: number;
  readonly code: string;
  readonly message: string;
}

const WINDOW_MS = 300_000;

/**
 * The Dataverse Web API's service protection limits, per user (one web server's worth): at most
 * `requestsPer5Min` requests in a 5-minute sliding window and `concurrent` requests at once, each
 * refused with 429, Retry-After and the documented code and message
 * (https://learn.microsoft.com/power-apps/developer/data-platform/api-limits). The execution-time
 * limit (20 minutes per 5) is not modelled: the sandbox's requests take milliseconds. Dataverse
 * search has its own limits and does not count here.
 */
export class ServiceProtectionLimiter {
  readonly #sent = new Map<string, number[]>();
  readonly #inFlight = new Map<string, number>();

  /**
   * Answers a refusal, or a `release` to call when the response is done (the request counts
   * towards both limits from now on). A refused request does not count.
   */
  admit(
    user: string,
    limits: { readonly requestsPer5Min: number; readonly concurrent: number },
    now = Date.now(),
  ): ServiceProtectionRefusal | { release: () => void } {
    const sent = (this.#sent.get(user) ?? []).filter((at) => now - at < WINDOW_MS);
    this.#sent.set(user, sent);
    if (sent.length >= limits.requestsPer5Min) {
      const oldest = sent[sent.length - limits.requestsPer5Min] ?? now;
      return {
        limit: 'requests',
        retryAfterSec: Math.max(1, Math.ceil((WINDOW_MS - (now - oldest)) / 1000)),
        code: '0x80072322',
        message: `Number of requests exceeded the limit of ${limits.requestsPer5Min} over time window of 300 seconds.`,
      };
    }
    const inFlight = this.#inFlight.get(user) ?? 0;
    if (inFlight >= limits.concurrent)
      return {
        // Learn gives no Retry-After for this one; a second lets the requests in flight finish.
        limit: 'concurrent',
        retryAfterSec: 1,
        code: '0x80072326',
        message: `Number of concurrent requests exceeded the limit of ${limits.concurrent}.`,
      };
    sent.push(now);
    this.#inFlight.set(user, inFlight + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight.set(user, Math.max(0, (this.#inFlight.get(user) ?? 1) - 1));
      },
    };
  }
}
