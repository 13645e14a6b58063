import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { DatabaseUnavailable } from './database-unavailable';
import type { SqlDriver } from './sql-driver';
import { prepareDatabaseFile, tightenDatabaseFiles } from './sqlite-files';

/** How long a statement keeps retrying while another connection holds the write lock. */
const DEFAULT_BUSY_BUDGET_MS = 2_000;

/** SQLITE_BUSY and its extended codes: another connection holds a lock we need (https://www.sqlite.org/rescode.html#busy). */
function isBusy(error: unknown): boolean {
  return (
    error instanceof Database.SqliteError &&
    (error.code === 'SQLITE_BUSY' || error.code.startsWith('SQLITE_BUSY_'))
  );
}

/**
 * SQLite through better-sqlite3 (synchronous, one connection, WAL). A transaction holds a gate that
 * every other statement awaits, so an `await` inside it cannot interleave another request's writes.
 *
 * better-sqlite3 runs each statement synchronously, so SQLite's own busy wait (busy_timeout) would
 * stop the whole event loop while another process holds the write lock. The connection therefore
 * fails fast on a lock (busy_timeout 0) and the driver retries asynchronously with backoff within a
 * bounded budget, then gives up with DatabaseUnavailable (a 503 with Retry-After).
 */
export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  readonly #db: Database.Database;
  readonly #busyBudgetMs: number;
  // Parsing SQL on every call costs more than the statement itself on a hot read path.
  readonly #statements = new Map<string, Database.Statement>();
  /** Whether a transaction holds the connection, and a promise that settles when it lets go. */
  #inTransaction = false;
  #released: Promise<void> = Promise.resolve();

  constructor(
    /** The database file, which other connections (the audit writer's) open too. */
    readonly path: string,
    options: { busyBudgetMs?: number } = {},
  ) {
    this.#busyBudgetMs = options.busyBudgetMs ?? DEFAULT_BUSY_BUDGET_MS;
    prepareDatabaseFile(path);
    this.#db = new Database(path);
    // Opening may briefly meet another instance's lock; a short synchronous wait is fine before serving.
    this.#db.pragma('busy_timeout = 1000');
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('foreign_keys = ON');
    this.#db.pragma('busy_timeout = 0');
    tightenDatabaseFiles(path);
  }

  async all<T extends object>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.#retrying(async () => {
      // Checked right before the synchronous statement, so no transaction can start in between.
      while (this.#inTransaction) await this.#released;
      return this.#prepare(sql).all(...params) as T[];
    });
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    return this.#retrying(async () => {
      while (this.#inTransaction) await this.#released;
      return { changes: this.#prepare(sql).run(...params).changes };
    });
  }

  async transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T> {
    let release!: () => void;
    await this.#retrying(async () => {
      while (this.#inTransaction) await this.#released;
      // Synchronous from the check to here: nothing else can start on this connection in between.
      // A busy BEGIN throws before the gate is taken, so a failed start never leaves it closed.
      this.#db.exec('BEGIN IMMEDIATE');
      this.#inTransaction = true;
      this.#released = new Promise((resolve) => (release = resolve));
    });
    const tx: SqlDriver = {
      dialect: 'sqlite',
      all: async <R extends object>(sql: string, params: readonly unknown[] = []) =>
        this.#prepare(sql).all(...params) as R[],
      run: async (sql, params = []) => ({ changes: this.#prepare(sql).run(...params).changes }),
      transaction: (inner) => inner(tx),
      close: async () => undefined,
    };
    try {
      const result = await fn(tx);
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.#db.inTransaction) {
        try {
          this.#db.exec('ROLLBACK');
        } catch {
          // The error that made us roll back is the one to report.
        }
      }
      throw error;
    } finally {
      this.#inTransaction = false;
      release();
    }
  }

  /** Runs `attempt`, retrying on SQLITE_BUSY with backoff until the budget is spent. */
  async #retrying<T>(attempt: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.#busyBudgetMs;
    for (let tries = 0; ; tries += 1) {
      try {
        return await attempt();
      } catch (error) {
        if (!isBusy(error)) throw error;
        const pause = Math.min(2 ** tries, 50) * (0.5 + Math.random() / 2);
        if (Date.now() + pause > deadline)
          throw new DatabaseUnavailable('The SQLite database is locked by another process.', 1, {
            cause: error,
          });
        await sleep(pause);
      }
    }
  }

  #prepare(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  async close(): Promise<void> {
    while (this.#inTransaction) await this.#released;
    this.#db.close();
  }
}
