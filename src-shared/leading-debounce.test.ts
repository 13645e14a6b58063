import { describe, expect, it } from 'vitest';
import { LeadingDebounce, type Schedule } from './leading-debounce';

/** A controllable clock with timers that run when the test moves time on. */
function manualClock() {
  let now = 0;
  let timers: { at: number; callback: () => void; cancelled: boolean }[] = [];
  const schedule: Schedule = (callback, ms) => {
    const timer = { at: now + ms, callback, cancelled: false };
    timers.push(timer);
    return () => void (timer.cancelled = true);
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = timers
        .filter((timer) => !timer.cancelled && timer.at <= until)
        .sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      now = due.at;
      timers = timers.filter((timer) => timer !== due);
      due.callback();
    }
    now = until;
  };
  /** Time passes while the event loop is busy: no timer runs. */
  const jump = (ms: number) => void (now += ms);
  return { now: () => now, schedule, advance, jump };
}

describe('leading-edge debounce', () => {
  it('sends the first value after a pause at once, then only the last of a run after the wait', () => {
    const clock = manualClock();
    const sent: string[] = [];
    const debounce = new LeadingDebounce<string>((text) => sent.push(text), 120, clock);
    for (const text of ['c', 'co', 'con', 'cont']) {
      debounce.push(text);
      clock.advance(60);
    }
    expect(sent).toEqual(['c']);
    clock.advance(119);
    expect(sent).toEqual(['c', 'cont']);
  });

  it('sends at once again once the input paused for the wait', () => {
    const clock = manualClock();
    const sent: string[] = [];
    const debounce = new LeadingDebounce<string>((text) => sent.push(text), 120, clock);
    for (const text of ['alpha', 'beta', 'gamma']) {
      debounce.push(text);
      clock.advance(150);
    }
    expect(sent).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('cancel drops the pending trailing value; immediate sends at once', () => {
    const clock = manualClock();
    const sent: string[] = [];
    const debounce = new LeadingDebounce<string>((text) => sent.push(text), 120, clock);
    debounce.push('a');
    clock.advance(10);
    debounce.push('ab');
    debounce.cancel();
    clock.advance(500);
    expect(sent).toEqual(['a']);
    debounce.push('x');
    clock.advance(10);
    debounce.push('', { immediate: true });
    clock.advance(500);
    expect(sent).toEqual(['a', 'x', '']);
  });

  it('lets a value that may not lead wait for the trailing edge like the ones after it', () => {
    const clock = manualClock();
    const sent: string[] = [];
    const debounce = new LeadingDebounce<string>((text) => sent.push(text), 120, {
      ...clock,
      leads: (text) => text.length >= 2,
    });
    debounce.push('c');
    clock.advance(60);
    debounce.push('co');
    expect(sent).toEqual([]);
    clock.advance(120);
    expect(sent).toEqual(['co']);
    clock.advance(500);
    debounce.push('contoso');
    expect(sent).toEqual(['co', 'contoso']);
  });

  it('keeps a key handled late in its run: a pause is the timer firing, not time passing', () => {
    // A busy event loop: 200 ms pass before the next key is handled and no timer has run yet. The
    // clock alone would call that a pause and send the key at once, a second request mid-word.
    const clock = manualClock();
    const sent: string[] = [];
    const debounce = new LeadingDebounce<string>((text) => sent.push(text), 120, clock);
    debounce.push('alpha');
    clock.jump(200);
    debounce.push('alpha b');
    expect(sent).toEqual(['alpha']);
    clock.advance(119);
    expect(sent).toEqual(['alpha']);
    clock.advance(1);
    expect(sent).toEqual(['alpha', 'alpha b']);
  });
});
