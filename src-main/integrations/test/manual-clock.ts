import type { Schedule } from '../min-interval-gate';

/** Lets every resolved promise run its continuations. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A clock for tests that moves only when told to, with the timers scheduled on it. */
export class ManualClock {
  #timers: { due: number; callback: () => void }[] = [];

  constructor(public at = 0) {}

  readonly now = () => this.at;

  readonly schedule: Schedule = (callback, ms) => {
    const timer = { due: this.at + ms, callback };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((candidate) => candidate !== timer);
    };
  };

  /**
   * Moves the clock on, runs the timers due by then in order, each at its own due time (as a real
   * timer would: a reminder due at 10:00:10 sees 10:00:10, not the end of the step), and lets
   * their continuations run.
   */
  async advance(ms: number): Promise<void> {
    const target = this.at + ms;
    const due = this.#timers
      .filter((candidate) => candidate.due <= target)
      .sort((a, b) => a.due - b.due);
    for (const timer of due) {
      this.#timers = this.#timers.filter((candidate) => candidate !== timer);
      this.at = Math.max(this.at, timer.due);
      timer.callback();
    }
    this.at = target;
    await settle();
  }
}
