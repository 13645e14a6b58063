import Database from 'better-sqlite3';
import type { SqlDriver } from './sql-driver';

/**
 * SQLite through better-sqlite3 (synchronous, one connection, WAL). A transaction holds a gate that
 * every other statement awaits, so an `await` inside it cannot interleave another request's writes.
 */
export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  readonly #db: Database.Database;
  // Parsing SQL on every call costs more than the statement itself on a hot read path.
  readonly #statements = new Map<string, Database.Statement>();
  #gate: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('foreign_keys = ON');
    this.#db.pragma('busy_timeout = 5000');
  }

  async all<T extends object>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    await this.#gate;
    return this.#prepare(sql).all(...params) as T[];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    await this.#gate;
    return { changes: this.#prepare(sql).run(...params).changes };
  }

  async transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T> {
    await this.#gate;
    let open!: () => void;
    this.#gate = new Promise((resolve) => (open = resolve));
    const db = this.#db;
    const tx: SqlDriver = {
      dialect: 'sqlite',
      all: async <R extends object>(sql: string, params: readonly unknown[] = []) => this.#prepare(sql).all(...params) as R[],
      run: async (sql, params = []) => ({ changes: this.#prepare(sql).run(...params).changes }),
      transaction: (inner) => inner(tx),
      close: async () => undefined,
    };
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = await fn(tx);
      db.exec('COMMIT');
      return result;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    } finally {
      open();
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
    await this.#gate;
    this.#db.close();
  }
}
