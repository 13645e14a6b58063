import DataLoader from 'dataloader';
import {
  admissionColumns,
  admissionIds,
  BATCHED_ADMISSION_COLUMNS,
  statementWithAdmission,
  type AdmissionRow,
} from './admission';
import { DatabaseUnavailable } from './database-unavailable';
import type { SqlDriver } from './sql-driver';
import type { BlobAddress, Caller } from './token-store-repository';

/** One read as the routes ask it. */
export interface BlobReadRequest {
  readonly caller: Caller;
  readonly address: BlobAddress;
}

/** What one read answers: its caller's admission columns and the blob, if there is one. */
export type BlobReadRow = AdmissionRow & {
  readonly blob: string | null;
  readonly version: string | null;
  readonly updated_at: number | string | null;
};

/** One read's statement: the integration's settings row, and the caller's blob if there is one. */
const singleReadSql = statementWithAdmission(
  (columns) =>
    `SELECT ${columns}, b.blob, b.version, b.updated_at FROM integrations i ` +
    'LEFT JOIN blobs b ON b.tid = i.tid AND b.integration = i.integration AND b.oid = ? AND b.connection_id = ? AND b.device_id = ? ' +
    'WHERE i.tid = ? AND i.integration = ?',
);

/** One read in a statement of its own: what SQLite always runs, and PostgreSQL for a lone read. */
export async function readBlobRow(
  db: SqlDriver,
  { caller, address }: BlobReadRequest,
): Promise<BlobReadRow | undefined> {
  const columns = admissionColumns(caller);
  const rows = await db.all<BlobReadRow>(
    singleReadSql(columns.sql),
    [
      ...columns.params,
      caller.oid,
      address.connection,
      address.deviceId,
      caller.tid,
      address.integration,
    ],
    // The hot path: every blob read runs it. Its text varies only with the number of groups.
    { prepare: true },
  );
  return rows[0];
}

/**
 * One row per read, numbered in the order given: the caller's ids, the address, the integration's
 * settings row and the blob, with admission decided per row as for a single read (admission.ts).
 * The arrays keep the text fixed whatever the batch size or group counts, so it is prepared once
 * per connection.
 */
const BATCH_SQL =
  `SELECT q.ord, ${BATCHED_ADMISSION_COLUMNS}, b.blob, b.version, b.updated_at ` +
  'FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) ' +
  'WITH ORDINALITY AS q(tid, caller_oid, member_oid, groups, integration, connection_id, device_id, ord) ' +
  'JOIN integrations i ON i.tid = q.tid AND i.integration = q.integration ' +
  'LEFT JOIN blobs b ON b.tid = i.tid AND b.integration = i.integration AND b.oid = q.caller_oid ' +
  'AND b.connection_id = q.connection_id AND b.device_id = q.device_id';

/** More reads than a busy process gathers while one statement runs; past it, a second batch queues. */
const MAX_BATCH = 64;

/**
 * PostgreSQL only: blob reads go out together, one statement for all the reads that arrived while
 * the previous one ran (as databases group commits). Each statement costs PostgreSQL a fixed setup
 * (executor start with every admission subplan, a snapshot, a round trip) whatever its rows, and
 * that setup was most of a read's cost there: eight reads in one statement cost PostgreSQL about a
 * third of eight statements. When the store is idle a read goes out at once, alone, as the
 * single-read statement; nothing waits on a timer and nothing is cached, so every read still sees
 * all that was committed before its statement started, which is after its request arrived: an
 * admin change that answered is never missed.
 *
 * Batching is DataLoader's (https://github.com/graphql/dataloader#batch-scheduling) without its
 * cache; a batch is dispatched on `setImmediate`, so it holds whatever the sockets read in that
 * turn of the event loop brought, and not before the statement in flight has answered.
 */
export class BatchedBlobReads {
  readonly #loader: DataLoader<BlobReadRequest, BlobReadRow | undefined>;
  /** Dispatches of batches not yet started; one batch runs at a time. */
  readonly #queued: (() => void)[] = [];
  #busy = false;

  constructor(
    private readonly db: SqlDriver,
    maxBatch = MAX_BATCH,
  ) {
    this.#loader = new DataLoader((requests) => this.#readBatch(requests), {
      cache: false,
      maxBatchSize: maxBatch,
      batchScheduleFn: (dispatch) => {
        this.#queued.push(dispatch);
        if (!this.#busy) this.#startNext();
      },
    });
  }

  /** The row of one read; undefined when the integration was never configured. */
  read(request: BlobReadRequest): Promise<BlobReadRow | undefined> {
    return this.#loader.load(request);
  }

  async #readBatch(
    requests: readonly BlobReadRequest[],
  ): Promise<(BlobReadRow | undefined | Error)[]> {
    try {
      return await this.#readRows(requests);
    } finally {
      this.#startNext();
    }
  }

  /** Dispatches the next batch once this turn's reads have joined it, or marks the reads idle. */
  #startNext(): void {
    const dispatch = this.#queued.shift();
    this.#busy = dispatch !== undefined;
    if (dispatch) setImmediate(dispatch);
  }

  async #readRows(
    requests: readonly BlobReadRequest[],
  ): Promise<(BlobReadRow | undefined | Error)[]> {
    if (requests.length === 1) return [await readBlobRow(this.db, requests[0]!)];
    let rows: (BlobReadRow & { ord: number | string })[];
    try {
      rows = await this.db.all(BATCH_SQL, columnsOf(requests), { prepare: true });
    } catch (error) {
      // The server is gone: every read in the batch fails alike (503).
      if (error instanceof DatabaseUnavailable) throw error;
      // Anything else may be one read's input (a byte PostgreSQL refuses in text, say): each read
      // is retried alone, so one caller's bad request never fails another's.
      return Promise.all(
        requests.map((request) =>
          readBlobRow(this.db, request).catch((failed: unknown) =>
            failed instanceof Error ? failed : new Error(String(failed)),
          ),
        ),
      );
    }
    const byOrdinal = new Map(rows.map(({ ord, ...row }) => [Number(ord), row]));
    return requests.map((_, index) => byOrdinal.get(index + 1));
  }
}

/** The batch's columns, one array per `q` column in its order. */
function columnsOf(requests: readonly BlobReadRequest[]): string[][] {
  const columns: string[][] = [[], [], [], [], [], [], []];
  for (const { caller, address } of requests) {
    const ids = admissionIds(caller);
    const values = [
      caller.tid,
      caller.oid,
      ids.oid,
      JSON.stringify(ids.groups),
      address.integration,
      address.connection,
      address.deviceId,
    ];
    values.forEach((value, column) => columns[column]!.push(value));
  }
  return columns;
}
