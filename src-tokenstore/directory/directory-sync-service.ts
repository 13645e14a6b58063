import type { SyncRun } from '../../src-shared/tokenstore/directory-api';
import type { UpstreamSend } from '../auth/https-fetch';
import type { ApplyCounts, DirectoryRepository } from './directory-repository';
import type { DirectorySyncEngine } from './directory-sync-engine';
import type { RunLease, RunLock } from './run-lock';
import { SyncFailure } from './sync-failure';
import type {
  RunOutcome,
  RunTrigger,
  SyncRunRepository,
  UserSyncRequest,
} from './sync-run-repository';

/** After a failed scheduled run, the next try comes within this (or the schedule, if sooner). */
const RETRY_AFTER_FAILURE_MS = 60 * 60_000;

export interface SyncNowAnswer {
  readonly started: boolean;
  readonly running: SyncRun | null;
  readonly queued: boolean;
}

/** The settings are missing or turned off: nothing to run. */
export class DirectoryNotConfigured extends Error {
  constructor() {
    super('Directory sync is not configured, or turned off, for this tenant.');
    this.name = 'DirectoryNotConfigured';
  }
}

/**
 * Runs directory syncs: on schedule (`tick`, weekly unless the settings say otherwise), on "Sync
 * now" for everyone or one user, and for users a webhook named. One run per tenant at a time across
 * every store instance (`RunLock`); each run is recorded with its counts and error. Per-user
 * requests are queued in the database, so whichever instance holds the lock next runs them; the
 * holder looks at the queue again after letting go, so a request queued while it held the lock is
 * not left for the next tick.
 */
export class DirectorySyncService {
  readonly #inFlight = new Set<Promise<unknown>>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly deps: {
      readonly directory: DirectoryRepository;
      readonly runs: SyncRunRepository;
      readonly engine: DirectorySyncEngine;
      readonly lock: RunLock;
      readonly send: UpstreamSend;
      readonly now: () => number;
      /** Who runs (this store instance), kept in the run record. */
      readonly holder: string;
      readonly onError?: (error: unknown, tid: string) => void;
    },
  ) {}

  /**
   * "Sync now". Everyone: starts a run here unless one is under way (here or on another instance),
   * which is then answered. One user (an Entra object id): queued, and started at once if no run
   * holds the lock.
   */
  async syncNow(
    tid: string,
    request: { user?: string; full?: boolean; trigger?: RunTrigger } = {},
  ): Promise<SyncNowAnswer> {
    const stored = await this.deps.directory.getSettings(tid);
    if (!stored?.settings.enabled) throw new DirectoryNotConfigured();
    const trigger = request.trigger ?? 'manual';
    if (request.user) {
      await this.deps.runs.enqueueUser(
        tid,
        { target: request.user.toLowerCase(), targetKind: 'object', trigger },
        this.deps.now(),
      );
      this.#track(this.drain(tid));
      return { started: false, running: null, queued: true };
    }
    const lease = await this.deps.lock.tryAcquire(tid);
    if (!lease) {
      const running = (await this.deps.runs.runningRun(tid)) ?? null;
      return { started: false, running, queued: false };
    }
    let runId: string;
    try {
      await this.deps.runs.abandonRunning(tid, this.deps.now());
      runId = await this.deps.runs.startRun(
        tid,
        { kind: request.full ? 'full' : 'delta', trigger, holder: this.deps.holder },
        this.deps.now(),
      );
    } catch (error) {
      await lease.release();
      throw error;
    }
    this.#track(
      this.#directoryRun(tid, lease, runId, request.full ?? false).then(() => this.drain(tid)),
    );
    return { started: true, running: (await this.deps.runs.run(runId)) ?? null, queued: false };
  }

  /** A webhook named this systemuser: queue a sync of them and run it now if the lock is free. */
  async queueSystemUser(tid: string, systemUserId: string): Promise<void> {
    await this.deps.runs.enqueueUser(
      tid,
      { target: systemUserId.toLowerCase(), targetKind: 'systemuser', trigger: 'webhook' },
      this.deps.now(),
    );
    this.#track(this.drain(tid));
  }

  /** Runs what is due: scheduled runs of every tenant, then queued per-user requests. */
  async tick(): Promise<void> {
    const now = this.deps.now();
    for (const tid of await this.deps.runs.dueTenants(now)) {
      const stored = await this.deps.directory.getSettings(tid);
      if (!stored?.settings.enabled) continue;
      const lease = await this.deps.lock.tryAcquire(tid);
      if (!lease) continue;
      // Another instance may have run it between our read and our lock: look again under the lock.
      const state = await this.deps.runs.state(tid);
      if (state.nextRunAt !== null && state.nextRunAt > this.deps.now()) {
        await lease.release();
        continue;
      }
      await this.deps.runs.abandonRunning(tid, this.deps.now());
      const runId = await this.deps.runs.startRun(
        tid,
        { kind: 'delta', trigger: 'schedule', holder: this.deps.holder },
        this.deps.now(),
      );
      await this.#directoryRun(tid, lease, runId, false);
    }
    for (const tid of await this.deps.runs.tenantsWithRequests()) await this.drain(tid);
  }

  /** Runs the tenant's queued per-user requests while this instance can take the lock. */
  async drain(tid: string): Promise<void> {
    while (await this.deps.runs.hasRequests(tid)) {
      const lease = await this.deps.lock.tryAcquire(tid);
      // The holder drains after it lets go (below), so the request is not stranded.
      if (!lease) return;
      try {
        const stored = await this.deps.directory.getSettings(tid);
        for (;;) {
          const requests = await this.deps.runs.takeRequests(tid);
          if (requests.length === 0) break;
          for (const request of requests) await this.#userRun(tid, lease, request, stored);
        }
      } finally {
        await lease.release();
      }
    }
  }

  /** Ticks every `intervalMs` (scheduled runs, stranded requests) until `stop`. */
  start(intervalMs: number): void {
    this.#timer ??= setInterval(() => this.#track(this.tick()), intervalMs);
    this.#timer.unref();
  }

  /** Stops ticking and waits for what is under way. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.whenIdle();
  }

  /** Settles when every run this instance started has ended. */
  async whenIdle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #track(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: unknown) => this.deps.onError?.(error, ''))
      .finally(() => {
        this.#inFlight.delete(tracked);
      });
    this.#inFlight.add(tracked);
  }

  #counted(): { send: UpstreamSend; requests: () => number } {
    let requests = 0;
    return {
      send: (request) => {
        requests += 1;
        return this.deps.send(request);
      },
      requests: () => requests,
    };
  }

  async #directoryRun(tid: string, lease: RunLease, runId: string, full: boolean): Promise<void> {
    const counts: ApplyCounts = { created: 0, updated: 0, deactivated: 0 };
    const http = this.#counted();
    let outcome: RunOutcome;
    let nextRunAt: number;
    try {
      const stored = await this.deps.directory.getSettings(tid);
      if (!stored?.settings.enabled) throw new DirectoryNotConfigured();
      const everyMs = stored.settings.everyHours * 3_600_000;
      try {
        const result = await this.deps.engine.syncDirectory(
          tid,
          stored.settings,
          { send: http.send, stillHeld: () => lease.stillHeld(), counts },
          { full },
        );
        await this.deps.runs.setRunKind(runId, result.kind, result.note);
        outcome = { status: 'succeeded', ...counts, requests: http.requests(), note: result.note };
        nextRunAt = this.deps.now() + everyMs;
        await this.deps.runs.saveState(
          tid,
          { nextRunAt, lastSuccessAt: this.deps.now() },
          this.deps.now(),
        );
      } catch (error) {
        outcome = this.#failed(error, tid, counts, http.requests());
        nextRunAt = this.deps.now() + Math.min(everyMs, RETRY_AFTER_FAILURE_MS);
        await this.deps.runs.saveState(tid, { nextRunAt }, this.deps.now());
      }
    } catch (error) {
      outcome = this.#failed(error, tid, counts, http.requests());
    }
    try {
      await this.deps.runs.finishRun(runId, outcome, this.deps.now());
    } finally {
      await lease.release();
    }
  }

  async #userRun(
    tid: string,
    lease: RunLease,
    request: UserSyncRequest,
    stored: Awaited<ReturnType<DirectoryRepository['getSettings']>>,
  ): Promise<void> {
    const runId = await this.deps.runs.startRun(
      tid,
      { kind: 'user', trigger: request.trigger, target: request.target, holder: this.deps.holder },
      this.deps.now(),
    );
    const counts: ApplyCounts = { created: 0, updated: 0, deactivated: 0 };
    const http = this.#counted();
    let outcome: RunOutcome;
    try {
      if (!stored?.settings.enabled) throw new DirectoryNotConfigured();
      await this.deps.engine.syncUser(
        tid,
        stored.settings,
        request.targetKind === 'systemuser'
          ? { systemUserId: request.target }
          : { objectId: request.target },
        { send: http.send, stillHeld: () => lease.stillHeld(), counts },
      );
      outcome = { status: 'succeeded', ...counts, requests: http.requests() };
    } catch (error) {
      outcome = this.#failed(error, tid, counts, http.requests());
    }
    await this.deps.runs.finishRun(runId, outcome, this.deps.now());
  }

  #failed(error: unknown, tid: string, counts: ApplyCounts, requests: number): RunOutcome {
    if (error instanceof SyncFailure)
      return {
        status: 'failed',
        ...counts,
        requests,
        error: { code: error.code, message: error.message, upstreamCode: error.upstreamCode },
      };
    if (error instanceof DirectoryNotConfigured)
      return {
        status: 'failed',
        ...counts,
        requests,
        error: { code: 'internal', message: error.message },
      };
    this.deps.onError?.(error, tid);
    return {
      status: 'failed',
      ...counts,
      requests,
      error: {
        code: 'internal',
        message: 'The sync hit an internal error; the token store’s log has the details.',
      },
    };
  }
}
