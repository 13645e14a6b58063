import { workstationError } from '../../src-shared/errors';

/** Runs `callback` after `ms`; answers a function that cancels it (injectable for tests). */
export type Schedule = (callback: () => void, ms: number) => () => void;

const systemSchedule: Schedule = (callback, ms) => {
  const timer = setTimeout(callback, ms);
  return () => clearTimeout(timer);
};

/**
 * Spaces requests to one upstream that allows one request per `intervalMs` per user (Dataverse
 * search: 1 request/s, https://learn.microsoft.com/power-apps/developer/data-platform/search/overview#service-protection-limits).
 *
 * Leading edge first: after a pause, a request goes out at once; only the ones that follow wait.
 * The upstream measures on arrival, which the client cannot see but which lies between sending and
 * the answer; so the next request is sent `intervalMs` after the previous ANSWER (a slow first
 * request, a TLS handshake or a token refresh, cannot bring two arrivals closer than the limit).
 * One request is in flight at a time. A waiting request whose signal aborts (superseded by newer
 * text) is dropped and never sent. After the upstream says busy (`defer`), callers are told so at
 * once instead of waiting (they can answer another way).
 */
export class MinIntervalGate {
  /** Earliest time the next request may be sent. */
  #next = 0;
  /** The upstream answered 429 until then. */
  #busyUntil = 0;
  #inFlight = false;
  readonly #wakers = new Set<() => void>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
    private readonly schedule: Schedule = systemSchedule,
  ) {}

  /**
   * Waits for this request's turn. Answers `release` (call it once the answer, or the failure,
   * arrived), or `undefined` when the upstream said busy (see `defer`); rejects `cancelled` when
   * `signal` aborts first.
   */
  async acquire(signal: AbortSignal): Promise<(() => void) | undefined> {
    for (;;) {
      if (signal.aborted) throw workstationError('cancelled', 'The search was superseded.');
      const now = this.now();
      if (now < this.#busyUntil) return undefined;
      if (!this.#inFlight && now >= this.#next) break;
      await this.#sleep(this.#inFlight ? undefined : this.#next - now, signal);
    }
    this.#inFlight = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight = false;
      this.#next = Math.max(this.#next, this.now() + this.intervalMs);
      this.#wake();
    };
  }

  /** The upstream answered 429 with Retry-After: no request before `untilMs`. */
  defer(untilMs: number): void {
    this.#busyUntil = Math.max(this.#busyUntil, untilMs);
    this.#next = Math.max(this.#next, untilMs);
    this.#wake();
  }

  /** Whether the upstream said busy and its Retry-After has not passed. */
  get busy(): boolean {
    return this.now() < this.#busyUntil;
  }

  /** Until `ms` passed (or, without `ms`, until a release or defer), whichever first; rejects on abort. */
  #sleep(ms: number | undefined, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        cancelTimer?.();
        this.#wakers.delete(done);
        signal.removeEventListener('abort', aborted);
        resolve();
      };
      const aborted = () => {
        cancelTimer?.();
        this.#wakers.delete(done);
        reject(workstationError('cancelled', 'The search was superseded.'));
      };
      const cancelTimer = ms === undefined ? undefined : this.schedule(done, ms);
      this.#wakers.add(done);
      signal.addEventListener('abort', aborted, { once: true });
    });
  }

  #wake(): void {
    for (const wake of [...this.#wakers]) wake();
  }
}
