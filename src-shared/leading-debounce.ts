/** Runs `callback` after `ms`; answers a function that cancels it (injectable for tests). */
export type Schedule = (callback: () => void, ms: number) => () => void;

const systemSchedule: Schedule = (callback, ms) => {
  const timer = setTimeout(callback, ms);
  return () => clearTimeout(timer);
};

/**
 * A debounce that lets the leading edge through: the first value after the input paused for
 * `waitMs` is sent at once, and within a run of input only the last value is sent, `waitMs` after
 * it (lodash's `debounce` with `leading` and `trailing`,
 * https://lodash.com/docs/4.17.15#debounce). The first key of a search then costs no wait, while a quick typist's keys between
 * still become one query.
 */
export class LeadingDebounce<T> {
  #lastInputAt = -Infinity;
  #cancelTimer: (() => void) | undefined;
  readonly #now: () => number;
  readonly #schedule: Schedule;

  readonly #leads: (value: T) => boolean;

  constructor(
    private readonly send: (value: T) => void,
    private readonly waitMs: number,
    options: {
      now?: () => number;
      schedule?: Schedule;
      /** Whether a value may take the leading edge (default: any); one that may not waits. */
      leads?: (value: T) => boolean;
    } = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#schedule = options.schedule ?? systemSchedule;
    this.#leads = options.leads ?? (() => true);
  }

  /** A new input value; `immediate` sends it at once whatever came before (a cleared box). */
  push(value: T, options: { immediate?: boolean } = {}): void {
    const now = this.#now();
    const paused = now - this.#lastInputAt >= this.waitMs;
    this.#lastInputAt = now;
    this.cancel();
    if ((paused && this.#leads(value)) || options.immediate) {
      this.send(value);
      return;
    }
    this.#cancelTimer = this.#schedule(() => {
      this.#cancelTimer = undefined;
      this.send(value);
    }, this.waitMs);
  }

  /** Drops the value waiting for the trailing edge, if any. */
  cancel(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }
}
