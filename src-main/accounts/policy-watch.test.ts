import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../integrations/test/manual-clock';
import { POLICY_POLL_HIDDEN_MS, POLICY_POLL_MS, startPolicyWatch } from './policy-watch';

const silent = pino({ level: 'silent' });

/** A watch over a poll that counts its calls; `hold` keeps the next polls in flight until released. */
function watched() {
  const clock = new ManualClock();
  const state = { polls: 0, inFlight: 0, maxInFlight: 0, hold: false };
  const releases: (() => void)[] = [];
  const watch = startPolicyWatch({
    poll: async () => {
      state.polls += 1;
      state.inFlight += 1;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      if (state.hold) await new Promise<void>((resolve) => releases.push(resolve));
      state.inFlight -= 1;
    },
    logger: silent,
    schedule: clock.schedule,
  });
  /** Advances in steps, so each poll's follow-up timer is armed before the next step. */
  const settle = async () => {
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
  };
  const advance = async (ms: number) => {
    await settle();
    for (let step = 0; step < ms; step += 1_000) {
      await clock.advance(Math.min(1_000, ms - step));
      await settle();
    }
  };
  const release = async () => {
    for (const resolve of releases.splice(0)) resolve();
    await settle();
  };
  return { watch, state, advance, release };
}

describe('startPolicyWatch', () => {
  it('polls every POLICY_POLL_MS while the app is visible', async () => {
    const { watch, state, advance } = watched();
    await advance(3 * POLICY_POLL_MS);
    expect(state.polls).toBe(3);
    watch.stop();
  });

  it('polls only every POLICY_POLL_HIDDEN_MS while every window is hidden: an idle app costs the store a twelfth', async () => {
    const { watch, state, advance } = watched();
    watch.setVisible(false);
    await advance(POLICY_POLL_HIDDEN_MS - 1_000);
    expect(state.polls).toBe(0);
    await advance(1_000);
    expect(state.polls).toBe(1);
    await advance(POLICY_POLL_HIDDEN_MS);
    expect(state.polls).toBe(2);
    expect(POLICY_POLL_HIDDEN_MS / POLICY_POLL_MS).toBe(12);
    watch.stop();
  });

  it('asks at once when the app is shown again, then every POLICY_POLL_MS', async () => {
    const { watch, state, advance } = watched();
    watch.setVisible(false);
    await advance(10_000);
    expect(state.polls).toBe(0);
    watch.setVisible(true);
    await advance(0);
    expect(state.polls).toBe(1);
    await advance(POLICY_POLL_MS);
    expect(state.polls).toBe(2);
    // Telling it again what it already knows changes nothing.
    watch.setVisible(true);
    await advance(0);
    expect(state.polls).toBe(2);
    watch.stop();
  });

  it('never asks twice at once: shown while a poll is under way, the next waits for it', async () => {
    const { watch, state, advance, release } = watched();
    state.hold = true;
    await advance(POLICY_POLL_MS);
    expect(state.inFlight).toBe(1);
    watch.setVisible(false);
    watch.setVisible(true);
    await advance(0);
    expect(state.polls).toBe(1);
    state.hold = false;
    await release();
    await advance(POLICY_POLL_MS);
    expect(state.polls).toBe(2);
    expect(state.maxInFlight).toBe(1);
    watch.stop();
  });

  it('stops: nothing is asked after stop, shown or not', async () => {
    const { watch, state, advance } = watched();
    watch.stop();
    watch.setVisible(false);
    watch.setVisible(true);
    await advance(2 * POLICY_POLL_HIDDEN_MS);
    expect(state.polls).toBe(0);
  });
});
