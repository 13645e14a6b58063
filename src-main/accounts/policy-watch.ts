import type { Logger } from 'pino';
import { isWorkstationError } from '../../src-shared/errors';
import type { Schedule } from '../integrations/min-interval-gate';

/** How often the running app asks whether the organisation's policy for the user changed. */
export const POLICY_POLL_MS = 5_000;

const systemSchedule: Schedule = (callback, ms) => {
  const timer = setTimeout(callback, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/**
 * Polls the token store's policy (a conditional GET: a 304 costs the store one read and no body)
 * every `intervalMs`, the next poll starting only when the last one ended, so a slow store is never
 * asked twice at once. An admin's disable, audience change or revoke reaches the app within one
 * interval plus one request.
 */
export function startPolicyWatch(options: {
  readonly poll: () => Promise<void>;
  readonly logger: Logger;
  readonly intervalMs?: number;
  readonly schedule?: Schedule;
}): { stop(): void } {
  const schedule = options.schedule ?? systemSchedule;
  const interval = options.intervalMs ?? POLICY_POLL_MS;
  let stopped = false;
  let cancel: (() => void) | undefined;
  const next = () => {
    if (stopped) return;
    cancel = schedule(() => {
      void options
        .poll()
        .catch((error: unknown) =>
          options.logger.debug(
            { code: isWorkstationError(error) ? error.code : 'unknown' },
            'policy poll failed',
          ),
        )
        .finally(next);
    }, interval);
  };
  next();
  return {
    stop() {
      stopped = true;
      cancel?.();
    },
  };
}
