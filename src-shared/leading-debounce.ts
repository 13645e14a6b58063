/** Runs `callback` after `ms`; answers a function that cancels it (injectable for tests). */
export type Schedule = (callback: () => void, ms: number) => () => void;

const systemSchedule: Schedule = (callback, ms) => {
  const timer = setTimeout(callback, ms);
  return () => clearTimeout(timer);
};

/**
 * A debounce that lets the leading edge through: the first value after the input paused for
 * `waitMs` is sent at once, and within a run of input only the last value is sent, `waitMs` after
 * it (lodash's `debounce` with `leading` and `trailing`, https://lodash.com/docs/4.17.15#debounce).
 * The first key of a search then costs no wait, while a quick typist's keys between still become
 * one query.
 *
 * A pause is told by the timer, not by reading the clock: the input is idle once the timer set at
 * its last value has fired. A key handled late (a busy event loop) therefore still belongs to its
 * run, as it did with a trailing-only debounce, instead of being taken for a new start and sent.
 */
export class LeadingDebounce<T> {
  /** Set while the input is not idle: the timer of the last value (and maybe a value for it). */
  #cancelTimer: (() => void) | undefined;
  readonly #schedule: Schedule;
  readonly #leads: (value: T) => boolean;

  constructor(
    private readonly send: (value: T) => void,
    private readonly waitMs: number,
    options: {
      schedule?: Schedule;
      /** Whether a value may take the leading edge (default: any); one that may not waits. */
      leads?: (value: T) => boolean;
    } = {},
  ) {
    this.#schedule = options.schedule ?? systemSchedule;
    this.#leads = options.leads ?? (() => true);
  }

  /** A new input value; `immediate` sends it at once whatever came before (a cleared box). */
  push(value: T, options: { immediate?: boolean } = {}): void {
    const idle = this.#cancelTimer === undefined;
    this.cancel();
    const sendNow = (idle && this.#leads(value)) || options.immediate === true;
    if (sendNow) this.send(value);
    this.#cancelTimer = this.#schedule(() => {
      this.#cancelTimer = undefined;
      if (!sendNow) this.send(value);
    }, this.waitMs);
  }

  /** Drops the value waiting for the trailing edge, if any; the next value counts as after a pause. */
  cancel(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }
}
