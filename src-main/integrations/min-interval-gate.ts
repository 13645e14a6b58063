import { workstationError } from '../../src-shared/errors';

/**
 * Spaces requests to one upstream at least `intervalMs` apart (Dataverse search: 1 request/s per
 * user, https://learn.microsoft.com/power-apps/developer/data-platform/search/overview). A waiting query that is superseded is aborted and never sent, so a fast
 * typist costs at most one request per interval, for the latest text.
 */
export class MinIntervalGate {
  #next = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async wait(signal: AbortSignal): Promise<void> {
    const delay = this.#next - this.now();
    if (delay > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, delay);
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            reject(workstationError('cancelled', 'The search was superseded.'));
          },
          { once: true },
        );
      });
    }
    signal.throwIfAborted();
    this.#next = Math.max(this.now(), this.#next) + this.intervalMs;
  }

  /** Pushes the next slot out (the upstream answered 429 with Retry-After). */
  defer(untilMs: number): void {
    this.#next = Math.max(this.#next, untilMs);
  }
}
