import type { AuditRecord } from './token-store-repository';

/** Where batches go: the repository, or on SQLite a writer with a connection of its own. */
export interface AuditSink {
  auditMany(entries: readonly { record: AuditRecord; at: number }[]): Promise<void>;
}

/**
 * Buffers audit records and writes them in one transaction every few milliseconds: one insert per
 * request was the store's largest cost on the hot read path. Readers of the log flush first, and
 * closing the store flushes, so nothing is lost on an orderly shutdown.
 */
export class AuditWriter {
  #pending: { record: AuditRecord; at: number }[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly repository: AuditSink,
    private readonly onError: (error: unknown) => void,
    private readonly maxDelayMs = 20,
    private readonly maxBatch = 500,
  ) {}

  /** Queues one record. */
  write(record: AuditRecord, at: number): void {
    this.#pending.push({ record, at });
    if (this.#pending.length >= this.maxBatch) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.maxDelayMs);
  }

  /** Writes everything queued so far; resolves once it is stored. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = [];
    this.#flushing = this.#flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.repository.auditMany(batch);
      } catch (error) {
        this.onError(error);
      }
    });
    return this.#flushing;
  }
}
