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

  /** Moves the clock on, runs the timers due by then, and lets their continuations run. */
  async advance(ms: number): Promise<void> {
    this.at += ms;
    for (const timer of this.#timers.filter((candidate) => candidate.due <= this.at)) {
      this.#timers = this.#timers.filter((candidate) => candidate !== timer);
      timer.callback();
    }
    await settle();
  }
}
