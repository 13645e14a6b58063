import { randomUUID } from 'node:crypto';
import type { SyncErrorCode, SyncRun } from '../../src-shared/tokenstore/directory-api';
import type { SqlDriver } from '../db/sql-driver';

/** Where the next run starts. */
export interface SyncState {
  /** The `@odata.deltaLink` of the last complete read: the next delta starts there. */
  readonly deltaLink: string | null;
  /** The `@odata.nextLink` of a full read that stopped part-way: the next full run resumes there. */
  readonly resumeLink: string | null;
  /** The id of the full read under way (rows it saw carry it), kept across a resumed read. */
  readonly fullPass: string | null;
  readonly nextRunAt: number | null;
  readonly lastSuccessAt: number | null;
  /** The delta links of `teams` and `teammemberships`, from the last complete read of them. */
  readonly teamsDeltaLink: string | null;
  readonly membersDeltaLink: string | null;
}

const EMPTY_STATE: SyncState = {
  teamsDeltaLink: null,
  membersDeltaLink: null,
  deltaLink: null,
  resumeLink: null,
  fullPass: null,
  nextRunAt: null,
  lastSuccessAt: null,
};

export type RunKind = SyncRun['kind'];
export type RunTrigger = SyncRun['trigger'];

/** How a run ended. */
export interface RunOutcome {
  readonly status: 'succeeded' | 'failed';
  readonly created: number;
  readonly updated: number;
  readonly deactivated: number;
  readonly requests: number;
  readonly error?: {
    readonly code: SyncErrorCode;
    readonly message: string;
    readonly upstreamCode?: string | null;
  };
  readonly note?: string | null;
}

/** A per-user sync asked for (by the webhook or the console) and not yet run. */
export interface UserSyncRequest {
  readonly id: string;
  /** A systemuserid (webhook) or an Entra object id (console). */
  readonly target: string;
  readonly targetKind: 'systemuser' | 'object';
  readonly trigger: RunTrigger;
}

interface RunRow {
  id: string;
  kind: RunKind;
  run_trigger: RunTrigger;
  target: string | null;
  status: SyncRun['status'];
  started_at: number | string;
  finished_at: number | string | null;
  created: number | string;
  updated: number | string;
  deactivated: number | string;
  requests: number | string;
  error_code: SyncErrorCode | null;
  error_message: string | null;
  upstream_code: string | null;
  note: string | null;
}

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

function runOf(row: RunRow): SyncRun {
  return {
    id: row.id,
    kind: row.kind,
    trigger: row.run_trigger,
    target: row.target,
    status: row.status,
    startedAt: iso(row.started_at),
    finishedAt: row.finished_at === null ? null : iso(row.finished_at),
    created: Number(row.created),
    updated: Number(row.updated),
    deactivated: Number(row.deactivated),
    requests: Number(row.requests),
    error: row.error_code
      ? {
          code: row.error_code,
          message: row.error_message ?? '',
          upstreamCode: row.upstream_code,
        }
      : null,
    note: row.note,
  };
}

const RUN_COLUMNS =
  'id, kind, run_trigger, target, status, started_at, finished_at, created, updated, deactivated, requests, error_code, error_message, upstream_code, note';

/**
 * The bookkeeping of directory sync: run records (what the console lists), the sync state (delta
 * link, resumable paging, schedule), queued per-user requests, and SQLite's run lease.
 */
export class SyncRunRepository {
  constructor(private readonly db: SqlDriver) {}

  async state(tid: string): Promise<SyncState> {
    const rows = await this.db.all<{
      delta_link: string | null;
      resume_link: string | null;
      full_pass: string | null;
      next_run_at: number | string | null;
      last_success_at: number | string | null;
      teams_delta_link: string | null;
      members_delta_link: string | null;
    }>(
      'SELECT delta_link, resume_link, full_pass, next_run_at, last_success_at, teams_delta_link, members_delta_link FROM directory_state WHERE tid = ?',
      [tid],
    );
    const row = rows[0];
    if (!row) return EMPTY_STATE;
    return {
      deltaLink: row.delta_link,
      resumeLink: row.resume_link,
      fullPass: row.full_pass,
      nextRunAt: row.next_run_at === null ? null : Number(row.next_run_at),
      lastSuccessAt: row.last_success_at === null ? null : Number(row.last_success_at),
      teamsDeltaLink: row.teams_delta_link,
      membersDeltaLink: row.members_delta_link,
    };
  }

  /** Changes some of the state; the rest stays as it is. */
  async saveState(tid: string, change: Partial<SyncState>, now: number): Promise<void> {
    const next = { ...(await this.state(tid)), ...change };
    await this.db.run(
      'INSERT INTO directory_state (tid, delta_link, resume_link, full_pass, next_run_at, last_success_at, teams_delta_link, members_delta_link, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (tid) DO UPDATE SET delta_link = excluded.delta_link, resume_link = excluded.resume_link, full_pass = excluded.full_pass, ' +
        'next_run_at = excluded.next_run_at, last_success_at = excluded.last_success_at, teams_delta_link = excluded.teams_delta_link, ' +
        'members_delta_link = excluded.members_delta_link, updated_at = excluded.updated_at',
      [
        tid,
        next.deltaLink,
        next.resumeLink,
        next.fullPass,
        next.nextRunAt,
        next.lastSuccessAt,
        next.teamsDeltaLink,
        next.membersDeltaLink,
        now,
      ],
    );
  }

  /** Tenants whose scheduled run is due (never run, or `next_run_at` passed). */
  async dueTenants(now: number): Promise<string[]> {
    const rows = await this.db.all<{ tid: string }>(
      'SELECT s.tid FROM directory_settings s LEFT JOIN directory_state st ON st.tid = s.tid ' +
        'WHERE st.next_run_at IS NULL OR st.next_run_at <= ? ORDER BY s.tid',
      [now],
    );
    return rows.map((row) => row.tid);
  }

  async startRun(
    tid: string,
    run: { kind: RunKind; trigger: RunTrigger; target?: string | null; holder: string },
    now: number,
  ): Promise<string> {
    const id = randomUUID();
    await this.db.run(
      'INSERT INTO directory_runs (id, tid, kind, run_trigger, target, status, started_at, created, updated, deactivated, requests, holder) ' +
        "VALUES (?, ?, ?, ?, ?, 'running', ?, 0, 0, 0, 0, ?)",
      [id, tid, run.kind, run.trigger, run.target ?? null, now, run.holder],
    );
    return id;
  }

  /** A full run that began as a delta (expired link) says so. */
  async setRunKind(id: string, kind: RunKind, note: string | null): Promise<void> {
    await this.db.run('UPDATE directory_runs SET kind = ?, note = ? WHERE id = ?', [
      kind,
      note,
      id,
    ]);
  }

  async finishRun(id: string, outcome: RunOutcome, now: number): Promise<void> {
    await this.db.run(
      'UPDATE directory_runs SET status = ?, finished_at = ?, created = ?, updated = ?, deactivated = ?, requests = ?, ' +
        'error_code = ?, error_message = ?, upstream_code = ?, note = COALESCE(?, note) WHERE id = ?',
      [
        outcome.status,
        now,
        outcome.created,
        outcome.updated,
        outcome.deactivated,
        outcome.requests,
        outcome.error?.code ?? null,
        outcome.error?.message ?? null,
        outcome.error?.upstreamCode ?? null,
        outcome.note ?? null,
        id,
      ],
    );
  }

  /**
   * Runs left `running` by an instance that died: called by whoever holds the tenant's run lock, so
   * no run of that tenant can really be under way.
   */
  async abandonRunning(tid: string, now: number): Promise<number> {
    const { changes } = await this.db.run(
      "UPDATE directory_runs SET status = 'abandoned', finished_at = ?, note = 'The store instance running it stopped.' WHERE tid = ? AND status = 'running'",
      [now, tid],
    );
    return changes;
  }

  /** The tenant's runs, newest first. */
  async listRuns(tid: string, limit = 20): Promise<SyncRun[]> {
    const rows = await this.db.all<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM directory_runs WHERE tid = ? ORDER BY started_at DESC, id DESC LIMIT ?`,
      [tid, limit],
    );
    return rows.map(runOf);
  }

  async run(id: string): Promise<SyncRun | undefined> {
    const rows = await this.db.all<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM directory_runs WHERE id = ?`,
      [id],
    );
    return rows[0] ? runOf(rows[0]) : undefined;
  }

  async runningRun(tid: string): Promise<SyncRun | undefined> {
    const rows = await this.db.all<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM directory_runs WHERE tid = ? AND status = 'running' ORDER BY started_at DESC LIMIT 1`,
      [tid],
    );
    return rows[0] ? runOf(rows[0]) : undefined;
  }

  async enqueueUser(
    tid: string,
    request: Omit<UserSyncRequest, 'id'>,
    now: number,
  ): Promise<string> {
    const id = randomUUID();
    await this.db.run(
      'INSERT INTO directory_requests (id, tid, target, target_kind, run_trigger, requested_at) VALUES (?, ?, ?, ?, ?, ?)',
      [id, tid, request.target, request.targetKind, request.trigger, now],
    );
    return id;
  }

  /** Takes (and removes) the tenant's queued per-user requests, oldest first. */
  async takeRequests(tid: string, limit = 100): Promise<UserSyncRequest[]> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.all<{
        id: string;
        target: string;
        target_kind: UserSyncRequest['targetKind'];
        run_trigger: RunTrigger;
      }>(
        'SELECT id, target, target_kind, run_trigger FROM directory_requests WHERE tid = ? ORDER BY requested_at, id LIMIT ?',
        [tid, limit],
      );
      if (rows.length > 0)
        await tx.run(
          `DELETE FROM directory_requests WHERE id IN (${rows.map(() => '?').join(', ')})`,
          rows.map((row) => row.id),
        );
      return rows.map((row) => ({
        id: row.id,
        target: row.target,
        targetKind: row.target_kind,
        trigger: row.run_trigger,
      }));
    });
  }

  async hasRequests(tid: string): Promise<boolean> {
    const rows = await this.db.all(
      'SELECT 1 AS one FROM directory_requests WHERE tid = ? LIMIT 1',
      [tid],
    );
    return rows.length > 0;
  }

  /** Tenants with queued per-user requests. */
  async tenantsWithRequests(): Promise<string[]> {
    const rows = await this.db.all<{ tid: string }>(
      'SELECT DISTINCT tid FROM directory_requests ORDER BY tid',
    );
    return rows.map((row) => row.tid);
  }

  /**
   * Takes the tenant's lease if it is free or expired, in one statement (so two instances racing
   * for it cannot both win): answers whether `holder` has it now.
   */
  async tryLease(tid: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
    const { changes } = await this.db.run(
      'INSERT INTO directory_leases (tid, holder, expires_at) VALUES (?, ?, ?) ' +
        'ON CONFLICT (tid) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at WHERE directory_leases.expires_at <= ?',
      [tid, holder, now + ttlMs, now],
    );
    return changes === 1;
  }

  /** Extends a lease `holder` still has; answers false when it lost it (expired and taken). */
  async renewLease(tid: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
    const { changes } = await this.db.run(
      'UPDATE directory_leases SET expires_at = ? WHERE tid = ? AND holder = ?',
      [now + ttlMs, tid, holder],
    );
    return changes === 1;
  }

  async releaseLease(tid: string, holder: string): Promise<void> {
    await this.db.run('DELETE FROM directory_leases WHERE tid = ? AND holder = ?', [tid, holder]);
  }
}
