import { createHash } from 'node:crypto';
import pg from 'pg';
import { DatabaseUnavailable } from './database-unavailable';
import type { QueryOptions, SqlDriver } from './sql-driver';

/** `?` placeholders become `$1..$n` (the repository never puts `?` inside a literal). */
function numbered(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

/**
 * Each statement's text as PostgreSQL takes it, and for those run with `prepare` a name: pg then
 * parses and plans the statement once per connection and afterwards only binds and executes it
 * (https://node-postgres.com/features/queries#prepared-statements). Repository statements are
 * fixed texts, so this stays small.
 */
const statements = new Map<string, { text: string; name: string }>();

function statementOf(sql: string): { text: string; name: string } {
  let statement = statements.get(sql);
  if (!statement) {
    statement = {
      text: numbered(sql),
      name: `ws_${createHash('sha256').update(sql).digest('base64url').slice(0, 22)}`,
    };
    statements.set(sql, statement);
  }
  return statement;
}

/**
 * Errors that say the server cannot be reached or dropped the connection, as opposed to a bad
 * statement: Node socket errors, SQLSTATE class 08 (connection exception), 53300 (too many
 * connections), 57P01-57P03 (the server shut down or cut this session, e.g. pg_terminate_backend)
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html), and the messages pg and pg-pool
 * use, without a code, for a lost connection or a connect timeout.
 */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '53300',
  '57P01',
  '57P02',
  '57P03',
]);
const CONNECTION_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08')))
    return true;
  return error instanceof Error && CONNECTION_MESSAGES.test(error.message);
}

/** A connection failure becomes DatabaseUnavailable (503); anything else stays as it is (500). */
function mapped(error: unknown): unknown {
  return isConnectionFailure(error)
    ? new DatabaseUnavailable('PostgreSQL cannot be reached.', 2, { cause: error })
    : error;
}

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

async function query(
  client: Queryable,
  sql: string,
  params: readonly unknown[],
  options: QueryOptions = {},
): Promise<pg.QueryResult> {
  const { text, name } = statementOf(sql);
  try {
    return await client.query(
      options.prepare ? { name, text, values: [...params] } : { text, values: [...params] },
    );
  } catch (error) {
    throw mapped(error);
  }
}

function driverOver(client: Queryable, transaction: SqlDriver['transaction']): SqlDriver {
  return {
    dialect: 'postgres',
    all: async <T extends object>(
      sql: string,
      params: readonly unknown[] = [],
      options?: QueryOptions,
    ) => (await query(client, sql, params, options)).rows as T[],
    run: async (sql, params = []) => ({
      changes: (await query(client, sql, params)).rowCount ?? 0,
    }),
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
      // Waiting for a connection (server down, pool exhausted) is bounded: the request answers 503.
      connectionTimeoutMillis: 5_000,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // A connection the server drops (restart, failover, pg_terminate_backend) is reported as an
    // 'error' event, on the pool for an idle client and on the client itself while it is checked
    // out; an 'error' event without a listener ends the process
    // (https://nodejs.org/api/events.html#error-events). The pool discards such a client, and a
    // query on it rejects, so its caller still sees the failure: nothing is left to do here.
    this.#pool.on('error', () => undefined);
    this.#pool.on('connect', (client) => client.on('error', () => undefined));
    this.#direct = driverOver(this.#pool, (fn) => this.transaction(fn));
  }

  all<T extends object>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<T[]> {
    return this.#direct.all<T>(sql, params, options);
  }

  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number }> {
    return this.#direct.run(sql, params);
  }

  async transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw mapped(error);
    }
    const tx = driverOver(client, (inner) => inner(tx));
    let broken: Error | undefined;
    try {
      await query(client, 'BEGIN', []);
      const result = await fn(tx);
      await query(client, 'COMMIT', []);
      return result;
    } catch (error) {
      // A client whose ROLLBACK fails is in an unknown state: the pool must not hand it out again.
      await client.query('ROLLBACK').catch((rollbackFailed: unknown) => {
        broken = rollbackFailed instanceof Error ? rollbackFailed : new Error('ROLLBACK failed');
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * A pool connection of its own until `release`: session-level state, such as an advisory lock,
   * lives on it and ends with it. `release(true)` discards the connection instead of pooling it.
   */
  async reserve(): Promise<{ readonly db: SqlDriver; release(discard?: boolean): void }> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw mapped(error);
    }
    const db = driverOver(client, () => {
      throw new Error('a reserved connection runs no transactions');
    });
    let released = false;
    return {
      db,
      release: (discard = false) => {
        if (released) return;
        released = true;
        client.release(discard ? new Error('discarded') : undefined);
      },
    };
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
