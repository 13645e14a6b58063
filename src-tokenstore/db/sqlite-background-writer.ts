import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code: its own better-sqlite3 connection to the store's file, one transaction per
 * batch. A commit may wait on the disk (a WAL checkpoint's writes and fsync,
 * https://www.sqlite.org/wal.html#ckpt) and, as better-sqlite3 is synchronous, a commit on the
 * store's connection stopped every request for that long: profiled at 10-35 ms per audit batch
 * under load, the store's p99. Here only this thread waits. WAL lets the store's connection read
 * meanwhile (https://www.sqlite.org/wal.html#concurrency); for the one write lock this connection
 * waits (busy_timeout) while the store's connection retries without blocking its event loop.
 */
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
const statements = new Map();
const prepared = (sql) => {
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
};
const writeAll = db.transaction((sql, rows) => {
  const statement = prepared(sql);
  for (const row of rows) statement.run(...row);
});
parentPort.on('message', (message) => {
  if (message.close) {
    db.close();
    parentPort.postMessage({ id: message.id });
    return;
  }
  try {
    writeAll(message.sql, message.rows);
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String(error && error.message) });
  }
});
`;

/** Runs batches of one parameterised statement, each batch in one transaction, on a worker thread. */
export class SqliteBackgroundWriter {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  #next = 0;

  constructor(path: string) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_CODE, { eval: true, workerData: { path, driver } });
    this.#worker.on('message', (message: { id: number; error?: string }) => {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error) pending?.reject(new Error(`audit write failed: ${message.error}`));
      else pending?.resolve();
    });
    this.#worker.on('error', (error) => {
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    });
    // The worker must not keep the process alive on its own.
    this.#worker.unref();
  }

  /** Runs `sql` once per row, all in one transaction; resolves once committed. */
  write(sql: string, rows: readonly (readonly unknown[])[]): Promise<void> {
    return this.#send({ sql, rows });
  }

  /** Closes the worker's connection and ends the thread. */
  async close(): Promise<void> {
    await this.#send({ close: true });
    await this.#worker.terminate();
  }

  #send(message: object): Promise<void> {
    const id = this.#next++;
    return new Promise<void>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...message, id });
    });
  }
}
