import type { PostgresDriver } from '../db/postgres-driver';
import { SyncFailure } from './sync-failure';
import type { SyncRunRepository } from './sync-run-repository';

/** One tenant's run lock while held. */
export interface RunLease {
  /** Throws when the lock is no longer held (the run must stop: another may be under way). */
  stillHeld(): Promise<void>;
  release(): Promise<void>;
}

/** One directory run per tenant at a time, across every store instance sharing the database. */
export interface RunLock {
  /** The lease, or undefined when another run holds the tenant's lock now. */
  tryAcquire(tid: string): Promise<RunLease | undefined>;
}

/** Any constant works; it only has to be the same for every store instance (migrations use 7_203_117). */
const LOCK_CLASS = 7_203_118;
const LOCK_KEY = '?, hashtext(current_schema() || ?)';

const lost = () =>
  new SyncFailure(
    'internal',
    'The run lost its hold on the run lock (its database connection dropped); the next run resumes where it stopped.',
  );

/**
 * PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on a connection reserved for
 * the run (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS). Chosen over
 * a lease row because the server releases it by itself when the holding session ends (the instance
 * crashed, was killed, lost its network), so there is no expiry to tune against a run whose length
 * nobody knows in advance (10,000 users or 300,000, Retry-After waits of minutes), no heartbeat
 * writes, and no job library's tables and polling for what is one lock. It costs one pooled
 * connection per running sync. The key is the tenant hashed with the schema, so test schemas (and
 * stores sharing one database in separate schemas) do not block each other.
 */
export class PostgresAdvisoryLock implements RunLock {
  constructor(private readonly driver: PostgresDriver) {}

  async tryAcquire(tid: string): Promise<RunLease | undefined> {
    const session = await this.driver.reserve();
    const key = [LOCK_CLASS, `:${tid}`];
    try {
      const rows = await session.db.all<{ locked: boolean }>(
        `SELECT pg_try_advisory_lock(${LOCK_KEY}) AS locked`,
        key,
      );
      if (!rows[0]?.locked) {
        session.release();
        return undefined;
      }
    } catch (error) {
      session.release(true);
      throw error;
    }
    return {
      stillHeld: async () => {
        try {
          await session.db.all('SELECT 1 AS one');
        } catch {
          session.release(true);
          throw lost();
        }
      },
      release: async () => {
        try {
          await session.db.all(`SELECT pg_advisory_unlock(${LOCK_KEY})`, key);
          session.release();
        } catch {
          // Discarding the connection ends its session, which releases the lock all the same.
          session.release(true);
        }
      },
    };
  }
}

/**
 * SQLite: a lease row per tenant (`directory_leases`), taken in one statement that only succeeds
 * when the row is free or expired, renewed between pages. Instances sharing a SQLite file share one
 * machine but no session a lock could live on. The lease outlives the longest wait a page may take
 * (a Retry-After is honoured up to 5 minutes, a request times out after 2), so a live run never
 * loses it; a dead instance's lease frees itself after `ttlMs`.
 */
export class LeaseRowLock implements RunLock {
  constructor(
    private readonly runs: SyncRunRepository,
    private readonly holder: string,
    private readonly now: () => number,
    private readonly ttlMs = 15 * 60_000,
  ) {}

  async tryAcquire(tid: string): Promise<RunLease | undefined> {
    if (!(await this.runs.tryLease(tid, this.holder, this.now(), this.ttlMs))) return undefined;
    return {
      stillHeld: async () => {
        if (!(await this.runs.renewLease(tid, this.holder, this.now(), this.ttlMs))) throw lost();
      },
      release: () => this.runs.releaseLease(tid, this.holder),
    };
  }
}
