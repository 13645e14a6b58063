import { describe, expect, it } from 'vitest';
import { createCompletionQueue } from './completion-queue';

/** A hand-turned clock: timers run only when the test says time has passed. */
function manualTimers() {
  let now = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  let next = 1;
  return {
    setTimer: (run: () => void, ms: number) => {
      timers.set(next, { at: now + ms, run });
      return next++;
    },
    clearTimer: (timer: unknown) => timers.delete(timer as number),
    advance(ms: number) {
      now += ms;
      for (const [id, timer] of [...timers])
        if (timer.at <= now) {
          timers.delete(id);
          timer.run();
        }
    },
  };
}

describe('completion queue (Completed - Undo)', () => {
  it('hides the task at once and writes it back only after the Undo window', () => {
    const clock = manualTimers();
    const written: string[] = [];
    const queue = createCompletionQueue({
      write: async (id) => void written.push(id),
      delayMs: 5000,
      ...clock,
    });
    queue.getState().complete('t1', 'Call Seán');
    expect(queue.getState().pending).toEqual({ t1: 'Call Seán' });
    clock.advance(4999);
    expect(written).toEqual([]);
    clock.advance(1);
    expect(written).toEqual(['t1']);
    expect(queue.getState().pending).toEqual({});
  });

  it('Undo inside the window writes nothing and brings the task back', () => {
    const clock = manualTimers();
    const written: string[] = [];
    const queue = createCompletionQueue({ write: async (id) => void written.push(id), ...clock });
    queue.getState().complete('t1', 'Call Seán');
    clock.advance(3000);
    expect(queue.getState().undo('t1')).toBe(true);
    clock.advance(10_000);
    expect(written).toEqual([]);
    expect(queue.getState().pending).toEqual({});
    expect(queue.getState().undo('t1')).toBe(false);
  });

  it('flush writes every pending completion now, once (the window is closing)', () => {
    const clock = manualTimers();
    const written: string[] = [];
    const queue = createCompletionQueue({ write: async (id) => void written.push(id), ...clock });
    queue.getState().complete('t1', 'A');
    queue.getState().complete('t2', 'B');
    queue.getState().complete('t1', 'A');
    queue.getState().flush();
    expect(written).toEqual(['t1', 't2']);
    clock.advance(10_000);
    expect(written).toEqual(['t1', 't2']);
  });
});
