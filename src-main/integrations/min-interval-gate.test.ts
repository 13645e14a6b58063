import { describe, expect, it } from 'vitest';
import { MinIntervalGate } from './min-interval-gate';
import { ManualClock, settle } from './test/manual-clock';

/** Tracks whether a promise has settled yet, without awaiting it. */
function track<T>(promise: Promise<T>) {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  promise.then(
    (value) => Object.assign(state, { done: true, value }),
    (error: unknown) => Object.assign(state, { done: true, error }),
  );
  return state;
}

const signal = () => new AbortController().signal;

describe('MinIntervalGate', () => {
  it('lets the first request after a pause go at once, even within 1.1 s of the last send', async () => {
    const clock = new ManualClock();
    const gate = new MinIntervalGate(1000, clock.now, clock.schedule);
    const first = track(gate.acquire(signal()));
    await settle();
    expect(first.done).toBe(true);
    // Answered quickly; a second later the next query comes, 1,030 ms after the first was sent.
    await clock.advance(30);
    first.value?.();
    await clock.advance(1000);
    const next = track(gate.acquire(signal()));
    await settle();
    expect(next.done).toBe(true);
    expect(next.value).toBeTypeOf('function');
  });

  it('holds the requests that follow until a second after the previous answer', async () => {
    const clock = new ManualClock();
    const gate = new MinIntervalGate(1000, clock.now, clock.schedule);
    const release = await gate.acquire(signal());
    const second = track(gate.acquire(signal()));
    // A slow answer (a token refresh, a TLS handshake): the second waits for it, then a second more.
    await clock.advance(1500);
    expect(second.done).toBe(false);
    release?.();
    await clock.advance(999);
    expect(second.done).toBe(false);
    await clock.advance(1);
    expect(second.done).toBe(true);
  });

  it('drops a waiting request whose text was superseded, so the newer one takes its turn', async () => {
    const clock = new ManualClock();
    const gate = new MinIntervalGate(1000, clock.now, clock.schedule);
    (await gate.acquire(signal()))?.();
    const superseded = new AbortController();
    const older = track(gate.acquire(superseded.signal));
    await clock.advance(200);
    superseded.abort();
    const newer = track(gate.acquire(signal()));
    await settle();
    expect(older).toMatchObject({ done: true, error: { code: 'cancelled' } });
    expect(newer.done).toBe(false);
    await clock.advance(800);
    expect(newer.done).toBe(true);
  });

  it('tells waiting and new callers at once that the upstream is busy until its Retry-After', async () => {
    const clock = new ManualClock();
    const gate = new MinIntervalGate(1000, clock.now, clock.schedule);
    const release = await gate.acquire(signal());
    const waiting = track(gate.acquire(signal()));
    gate.defer(clock.at + 5000);
    release?.();
    await settle();
    expect(waiting).toMatchObject({ done: true, value: undefined });
    expect(await gate.acquire(signal())).toBeUndefined();
    expect(gate.busy).toBe(true);
    await clock.advance(5000);
    expect(gate.busy).toBe(false);
    expect(await gate.acquire(signal())).toBeTypeOf('function');
  });
});
