/**
 * The database cannot answer right now (SQLite locked by another process past the wait budget,
 * PostgreSQL unreachable or cutting the connection). Routes answer it as a typed 503 with
 * `Retry-After`. A transaction that meets it is rolled back.
 */
export class DatabaseUnavailable extends Error {
  constructor(
    message: string,
    /** Seconds after which a retry is worth it. */
    readonly retryAfterSec: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseUnavailable';
  }
}
