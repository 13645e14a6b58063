import type { Logger } from 'pino';
import { isWorkstationError } from '../../src-shared/errors';
import type { Schedule } from '../integrations/min-interval-gate';

/** How often the running app asks whether the organisation's policy for the user changed, while shown. */
export const POLICY_POLL_MS = 5_000;
/**
 * The same while every window of the app is hidden (the launcher is hidden most of the day). An
 * admin's change is enforced by the store at the user's next request anyway; the poll only keeps
 * what the app shows fresh, and showing the app asks at once. At 5 s, 10,000 idle apps would ask
 * the store 2,000 times a second; at 60 s, about 170.
 */
export const POLICY_POLL_HIDDEN_MS = 60_000;

const systemSchedule: Schedule = (callback, ms) => {
  const timer = setTimeout(callback, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** A running policy watch. */
export interface PolicyWatch {
  /** Whether any window of the app is shown: shown after hidden asks at once. */
  setVisible(visible: boolean): void;
  stop(): void;
}

/**
 * Polls the token store's policy (a conditional GET: a 304 costs the store one read and no body)
 * every `intervalMs` while the app is shown and every `hiddenIntervalMs` while it is hidden, the
 * next poll starting only when the last one ended, so a slow store is never asked twice at once.
 * While shown, an admin's disable, audience change or revoke reaches the app within one interval
 * plus one request; when the app is shown again it asks at once.
 */
export function startPolicyWatch(options: {
  readonly poll: () => Promise<void>;
  readonly logger: Logger;
  readonly intervalMs?: number;
  readonly hiddenIntervalMs?: number;
  readonly schedule?: Schedule;
}): PolicyWatch {
  const schedule = options.schedule ?? systemSchedule;
  const interval = options.intervalMs ?? POLICY_POLL_MS;
  const hiddenInterval = options.hiddenIntervalMs ?? POLICY_POLL_HIDDEN_MS;
  let stopped = false;
  let visible = true;
  let polling = false;
  let cancel: (() => void) | undefined;
  const poll = () => {
    cancel = undefined;
    polling = true;
    void options
      .poll()
      .catch((error: unknown) =>
        options.logger.debug(
          { code: isWorkstationError(error) ? error.code : 'unknown' },
          'policy poll failed',
        ),
      )
      .finally(() => {
        polling = false;
        next();
      });
  };
  const next = () => {
    if (stopped) return;
    cancel = schedule(poll, visible ? interval : hiddenInterval);
  };
  next();
  return {
    setVisible(shown) {
      if (stopped || shown === visible) return;
      visible = shown;
      // A poll under way arms the next one itself, at the interval now in force.
      if (polling) return;
      cancel?.();
      if (shown) poll();
      else next();
    },
    stop() {
      stopped = true;
      cancel?.();
    },
  };
}
