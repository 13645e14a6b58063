/** How to run one statement. */
export interface QueryOptions {
  /**
   * A hot statement of fixed text: PostgreSQL keeps it prepared per connection (SQLite prepares
   * every statement once anyway). Not for texts that vary without bound.
   */
  readonly prepare?: boolean;
}

/** The little the repository needs from a database: parameterised statements with `?` placeholders. */
export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres';
  all<T extends object>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<T[]>;
  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number }>;
  /** Runs `fn` in one transaction; statements from elsewhere wait until it ends. */
  transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
