import type { FastifyInstance } from 'fastify';
import { DatabaseUnavailable } from '../db/database-unavailable';
import type { SqlDriver } from '../db/sql-driver';
import { sendError } from './store-error';

/** How long /healthz waits for the database before saying it cannot answer. */
const PROBE_TIMEOUT_MS = 1_000;

/**
 * `GET /healthz` (no token, not rate limited): 200 only when the database answers a trivial query
 * within a second, else a typed 503 with Retry-After, so a load balancer stops sending traffic to a
 * store whose database is gone or whose connection is stuck. Concurrent probes share one query, so
 * a flood of health checks costs the database one statement at a time.
 */
export function registerHealthRoute(app: FastifyInstance, db: SqlDriver): void {
  let probe: Promise<void> | undefined;
  const check = (): Promise<void> =>
    (probe ??= withTimeout(
      db.all('SELECT 1 AS ok').then(() => undefined),
      PROBE_TIMEOUT_MS,
    ).finally(() => (probe = undefined)));

  app.get('/healthz', async (request, reply) => {
    try {
      await check();
      return { status: 'ok' };
    } catch (error) {
      request.log.warn(
        { reason: error instanceof Error ? error.message : 'unknown' },
        'health check: database unavailable',
      );
      reply.header(
        'retry-after',
        String(error instanceof DatabaseUnavailable ? error.retryAfterSec : 1),
      );
      return sendError(reply, 503, 'unavailable', 'The token store cannot reach its database.');
    }
  });
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DatabaseUnavailable('The database did not answer in time.', 1)),
      ms,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
