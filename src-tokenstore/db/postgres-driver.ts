import pg from 'pg';
import type { SqlDriver } from './sql-driver';

/** `?` placeholders become `$1..$n` (the repository never puts `?` inside a literal). */
function numbered(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

function driverOver(client: Queryable, transaction: SqlDriver['transaction']): SqlDriver {
  return {
    dialect: 'postgres',
    all: async <T extends object>(sql: string, params: readonly unknown[] = []) => (await client.query(numbered(sql), [...params])).rows as T[],
    run: async (sql, params = []) => ({ changes: (await client.query(numbered(sql), [...params])).rowCount ?? 0 }),
    transaction,
    close: async () => undefined,
  };
}

/** PostgreSQL through a pg pool; stateless between requests, so N store instances can share it. */
export class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #direct: SqlDriver;

  /** `schema` (tests) puts every table in its own schema via the connection's search_path. */
  constructor(connectionString: string, options: { schema?: string; max?: number } = {}) {
    this.#pool = new pg.Pool({
      connectionString,
      max: options.max ?? 10,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    this.#direct = driverOver(this.#pool, (fn) => this.transaction(fn));
  }

  all<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.#direct.all<T>(sql, params);
  }

  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number }> {
    return this.#direct.run(sql, params);
  }

  async transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    const tx = driverOver(client, (inner) => inner(tx));
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
