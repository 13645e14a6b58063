import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type {
  Audience,
  AuditAction,
  AuditDetail,
  AuditEntry,
  IntegrationSettings,
} from '../../src-shared/tokenstore/api';
import {
  admissionColumns,
  admissionOf,
  statementWithAdmission,
  type Admission,
  type AdmissionRow,
} from './admission';
import { BatchedBlobReads, readBlobRow } from './blob-reads';
import type { SqlDriver } from './sql-driver';

/** Who is asking: identity is tenant + object id, never an email. */
export interface Caller {
  readonly tid: string;
  readonly oid: string;
  readonly groups: readonly string[];
}

/** Which blob: the caller's, for one connection of an integration (an org, an environment), on one device. */
export interface BlobAddress {
  readonly integration: string;
  readonly connection: string;
  readonly deviceId: string;
}

export interface StoredBlob {
  readonly blob: string;
  readonly version: string;
  readonly updatedAt: number;
}

export interface IntegrationConfig {
  readonly id: string;
  readonly enabled: boolean;
  readonly audience: Audience;
  readonly settings: IntegrationSettings;
  readonly updatedAt: number;
}

export type AuditRecord = Omit<AuditEntry, 'id' | 'at'>;

/** Which audit entries to read; every field narrows. */
export interface AuditFilter {
  /** A user's object id, as the actor or as the user acted on. */
  readonly user?: string;
  readonly action?: AuditAction;
  readonly integration?: string;
  /** ms since the epoch, inclusive. */
  readonly from?: number;
  /** ms since the epoch, exclusive. */
  readonly to?: number;
}

/** One user's use of one integration, from their blobs. */
export interface UserIntegrationUse {
  readonly oid: string;
  readonly integration: string;
  readonly connections: number;
  readonly lastUsedAt: number;
}

const detailText = (record: AuditRecord): string | null =>
  record.detail ? JSON.stringify(record.detail) : null;

/** How a blob write ended: stored, lost its precondition, or refused inside its transaction. */
export type WriteOutcome =
  | { readonly ok: true; readonly version: string; readonly updatedAt: number }
  | { readonly ok: false; readonly reason: 'precondition' | 'forbidden' | 'inactive' | 'revoked' };

/** Where a write must land: over a known version (`If-Match`), or only if nothing is there (`If-None-Match: *`). */
export type WritePrecondition = { readonly ifMatch: string } | { readonly create: true };

/** A blob read together with the caller's admission, from one statement. */
export type BlobRead =
  | { readonly admitted: false; readonly inactive: boolean }
  | { readonly admitted: true; readonly stored: StoredBlob | undefined };

const newVersion = () => randomBytes(12).toString('base64url');

/**
 * 50 rows of 12 values stay under SQLite's oldest bound of 999 parameters per statement
 * (https://www.sqlite.org/limits.html#max_variable_number). PostgreSQL takes up to 65,535
 * (https://www.postgresql.org/docs/current/protocol-message-formats.html, Bind), so a whole
 * batch (the AuditWriter sends at most 500) is one statement there.
 */
const AUDIT_ROWS_PER_STATEMENT = { sqlite: 50, postgres: 5_000 } as const;

const admissionSql = statementWithAdmission(
  (columns) => `SELECT ${columns} FROM integrations i WHERE i.tid = ? AND i.integration = ?`,
);

/** Whether `caller` is in `audience` (group membership as the caller's token states it). */
export function inAudience(audience: Audience, caller: Pick<Caller, 'oid' | 'groups'>): boolean {
  switch (audience.kind) {
    case 'all':
      return true;
    case 'users':
      return audience.users.some((user) => user.toLowerCase() === caller.oid.toLowerCase());
    case 'groups':
      return audience.groups.some((group) =>
        caller.groups.some((mine) => mine.toLowerCase() === group.toLowerCase()),
      );
  }
}

const AUDIT_INSERT =
  'INSERT INTO audit_log (id, at, tid, actor, action, integration, connection_id, device_id, target, outcome, request_id, detail) VALUES';
const AUDIT_ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/**
 * Each record's audit_log values, in AUDIT_INSERT's column order. Ids are UUIDv7
 * (https://www.rfc-editor.org/rfc/rfc9562#name-uuid-version-7): time first, so each insert lands at
 * the right edge of the primary key's index. Random ids landed anywhere in it: on PostgreSQL a row
 * cost twice the backend CPU once the log held a few million rows (pgbench), and an index larger
 * than memory would read a page from disk for most inserts.
 */
function auditValues(entries: readonly { record: AuditRecord; at: number }[]): unknown[][] {
  return entries.map(({ record, at }) => [
    uuidv7(),
    at,
    record.tenantId,
    record.actorId,
    record.action,
    record.integration,
    record.connection,
    record.deviceId,
    record.targetUserId,
    record.outcome,
    record.requestId,
    detailText(record),
  ]);
}

/**
 * Every query the store makes; each one scoped by tenant. Admission (is this integration enabled for
 * this caller?) is read in the same statement as the blob it guards, and re-checked inside the write
 * transaction: no settings are cached in the process, so a second store instance over the same
 * database, or a read racing an admin's change, can never act on settings older than the last
 * answered admin call.
 */
export class TokenStoreRepository {
  readonly #batchedReads: BatchedBlobReads | undefined;

  constructor(private readonly db: SqlDriver) {
    this.#batchedReads = db.dialect === 'postgres' ? new BatchedBlobReads(db) : undefined;
  }

  /** Whether `caller` may use `integration` now, and the revocation epoch to hand to `writeBlob`. */
  async admission(caller: Caller, integration: string): Promise<Admission> {
    return this.#admission(this.db, caller, integration);
  }

  async #admission(db: SqlDriver, caller: Caller, integration: string): Promise<Admission> {
    const columns = admissionColumns(caller);
    const rows = await db.all<AdmissionRow>(
      admissionSql(columns.sql),
      [...columns.params, caller.tid, integration],
      { prepare: true },
    );
    return admissionOf(rows[0]);
  }

  /**
   * The caller's blob and whether they are admitted, read in one statement (one snapshot). On
   * PostgreSQL that statement may carry other callers' reads too (blob-reads.ts).
   */
  async readBlob(caller: Caller, address: BlobAddress): Promise<BlobRead> {
    const row = this.#batchedReads
      ? await this.#batchedReads.read({ caller, address })
      : await readBlobRow(this.db, { caller, address });
    const admission = admissionOf(row);
    if (!admission.admitted) return { admitted: false, inactive: admission.inactive };
    return {
      admitted: true,
      stored:
        row?.blob && row.version
          ? { blob: row.blob, version: row.version, updatedAt: Number(row.updated_at) }
          : undefined,
    };
  }

  /**
   * Creates (`create`) or compare-and-swaps (`ifMatch`) the caller's blob, in one transaction that
   * first re-checks admission. `admittedAt` is the epoch `admission` answered when the request was
   * let in: if an admin revoked the user since, the write is refused, so a revoke that has answered
   * never has an older write land after it.
   *
   * On PostgreSQL the transaction holds the integration's settings row FOR SHARE until it commits;
   * admin changes lock that row exclusively, so a write either commits before an admin change (which
   * then deletes what it wrote) or waits and sees the change. The lock is its own statement because
   * under READ COMMITTED a statement that waited for a lock still reads with the snapshot it started
   * with; the next statement sees everything the admin committed
   * (https://www.postgresql.org/docs/current/transaction-iso.html#XACT-READ-COMMITTED). SQLite's
   * BEGIN IMMEDIATE already takes the one write lock, across processes too.
   */
  async writeBlob(
    caller: Caller,
    { integration, connection, deviceId }: BlobAddress,
    blob: string,
    precondition: WritePrecondition,
    admittedAt: number,
    now: number,
  ): Promise<WriteOutcome> {
    return this.db.transaction(async (tx) => {
      if (tx.dialect === 'postgres')
        await tx.all('SELECT 1 FROM integrations WHERE tid = ? AND integration = ? FOR SHARE', [
          caller.tid,
          integration,
        ]);
      const admission = await this.#admission(tx, caller, integration);
      if (!admission.admitted)
        return { ok: false, reason: admission.inactive ? 'inactive' : 'forbidden' } as const;
      if (admission.epoch !== admittedAt) return { ok: false, reason: 'revoked' } as const;
      const version = newVersion();
      const { changes } =
        'create' in precondition
          ? // One statement, so concurrent creators race safely: exactly one inserts.
            await tx.run(
              'INSERT INTO blobs (tid, oid, integration, connection_id, device_id, blob, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ' +
                'ON CONFLICT (tid, oid, integration, connection_id, device_id) DO NOTHING',
              [caller.tid, caller.oid, integration, connection, deviceId, blob, version, now],
            )
          : await tx.run(
              'UPDATE blobs SET blob = ?, version = ?, updated_at = ? WHERE tid = ? AND oid = ? AND integration = ? AND connection_id = ? AND device_id = ? AND version = ?',
              [
                blob,
                version,
                now,
                caller.tid,
                caller.oid,
                integration,
                connection,
                deviceId,
                precondition.ifMatch,
              ],
            );
      return changes === 1
        ? ({ ok: true, version, updatedAt: now } as const)
        : ({ ok: false, reason: 'precondition' } as const);
    });
  }

  async deleteBlob(
    caller: Caller,
    { integration, connection, deviceId }: BlobAddress,
  ): Promise<boolean> {
    const { changes } = await this.db.run(
      'DELETE FROM blobs WHERE tid = ? AND oid = ? AND integration = ? AND connection_id = ? AND device_id = ?',
      [caller.tid, caller.oid, integration, connection, deviceId],
    );
    return changes > 0;
  }

  /** Deletes a user's blobs (all integrations, or every connection of one): a caller found no longer admitted. */
  async deleteUserBlobs(tid: string, oid: string, integration?: string): Promise<number> {
    return deleteBlobsOf(this.db, tid, oid, integration);
  }

  /**
   * An admin revokes a user (all integrations, or one, with all its connections): deletes their blobs and bumps their
   * revocation epoch in one transaction that holds the integrations' settings rows, so no write
   * admitted before the revoke can land after it (see `writeBlob`). It is a wipe, not a ban: a
   * request admitted after the revoke answered may store a blob again; narrowing the audience is
   * what keeps a user out.
   */
  async revokeUser(
    tid: string,
    actor: string,
    oid: string,
    integration: string | undefined,
    now: number,
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      if (tx.dialect === 'postgres') {
        // Ordered, so two admins revoking at once take the rows in the same order (no deadlock).
        await tx.all(
          `SELECT integration FROM integrations WHERE tid = ?${integration ? ' AND integration = ?' : ''} ORDER BY integration FOR UPDATE`,
          integration ? [tid, integration] : [tid],
        );
      }
      await tx.run(
        'INSERT INTO user_revocations (tid, oid, integration, epoch, revoked_at, revoked_by) VALUES (?, ?, ?, 1, ?, ?) ' +
          'ON CONFLICT (tid, oid, integration) DO UPDATE SET epoch = user_revocations.epoch + 1, revoked_at = excluded.revoked_at, revoked_by = excluded.revoked_by',
        [tid, oid, integration ?? '*', now, actor],
      );
      return deleteBlobsOf(tx, tid, oid, integration);
    });
  }

  /** How often an admin revoked the user, per integration (`*`: all); only ever grows. */
  async revocationEpochs(tid: string, oid: string): Promise<Record<string, number>> {
    const rows = await this.db.all<{ integration: string; epoch: number | string }>(
      'SELECT integration, epoch FROM user_revocations WHERE tid = ? AND oid = ? ORDER BY integration',
      [tid, oid.toLowerCase()],
    );
    return Object.fromEntries(rows.map((row) => [row.integration, Number(row.epoch)]));
  }

  /** The caller's synced directory standing: inactive, and the synced groups they are in. */
  async directoryStanding(
    caller: Pick<Caller, 'tid' | 'oid'>,
  ): Promise<{ inactive: boolean; groups: string[] }> {
    const [inactive, groups] = await Promise.all([
      isInactive(this.db, caller.tid, caller.oid),
      syncedGroupsOf(this.db, caller.tid, caller.oid),
    ]);
    return { inactive, groups };
  }

  /** Remembers the caller's groups as of this request, so audience changes can revoke by group. */
  async recordPrincipal(caller: Caller, now: number): Promise<void> {
    await this.db.run(
      'INSERT INTO principals (tid, oid, groups, seen_at) VALUES (?, ?, ?, ?) ON CONFLICT (tid, oid) DO UPDATE SET groups = excluded.groups, seen_at = excluded.seen_at',
      [caller.tid, caller.oid, JSON.stringify(caller.groups), now],
    );
  }

  /**
   * The tenant's integrations, read fresh in one statement (one snapshot, so an admin's change is
   * seen whole or not at all).
   */
  async listIntegrations(tid: string): Promise<IntegrationConfig[]> {
    const rows = await this.db.all<{
      integration: string;
      enabled: number;
      audience_kind: Audience['kind'];
      settings: string;
      updated_at: number | string;
      member_kind: 'user' | 'group' | null;
      member_id: string | null;
    }>(
      'SELECT i.integration, i.enabled, i.audience_kind, i.settings, i.updated_at, m.member_kind, m.member_id FROM integrations i ' +
        'LEFT JOIN integration_members m ON m.tid = i.tid AND m.integration = i.integration WHERE i.tid = ? ORDER BY i.integration, m.member_id',
      [tid],
    );
    const byId = new Map<
      string,
      { row: (typeof rows)[number]; members: { kind: 'user' | 'group'; id: string }[] }
    >();
    for (const row of rows) {
      const entry = byId.get(row.integration) ?? { row, members: [] };
      if (row.member_kind && row.member_id)
        entry.members.push({ kind: row.member_kind, id: row.member_id });
      byId.set(row.integration, entry);
    }
    return [...byId.values()].map(({ row, members }) => {
      const audience: Audience =
        row.audience_kind === 'users'
          ? { kind: 'users', users: members.filter((m) => m.kind === 'user').map((m) => m.id) }
          : row.audience_kind === 'groups'
            ? { kind: 'groups', groups: members.filter((m) => m.kind === 'group').map((m) => m.id) }
            : { kind: 'all' };
      return {
        id: row.integration,
        enabled: Number(row.enabled) === 1,
        audience,
        settings: JSON.parse(row.settings) as IntegrationSettings,
        updatedAt: Number(row.updated_at),
      };
    });
  }

  /**
   * Saves an integration's configuration and deletes the blobs of every user it no longer admits
   * (by user id, or by the groups their last token carried): revocation takes effect at once. The
   * upsert comes first: it locks the settings row, so blob writes holding it (see `writeBlob`) have
   * committed before the deletes below read the blobs, and later ones see the new settings.
   */
  async setIntegration(
    tid: string,
    actor: string,
    id: string,
    config: Omit<IntegrationConfig, 'id' | 'updatedAt'>,
    now: number,
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.run(
        'INSERT INTO integrations (tid, integration, enabled, audience_kind, settings, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
          'ON CONFLICT (tid, integration) DO UPDATE SET enabled = excluded.enabled, audience_kind = excluded.audience_kind, settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by',
        [
          tid,
          id,
          config.enabled ? 1 : 0,
          config.audience.kind,
          JSON.stringify(config.settings),
          now,
          actor,
        ],
      );
      await tx.run('DELETE FROM integration_members WHERE tid = ? AND integration = ?', [tid, id]);
      const members =
        config.audience.kind === 'users'
          ? config.audience.users.map((m) => ['user', m])
          : config.audience.kind === 'groups'
            ? config.audience.groups.map((m) => ['group', m])
            : [];
      for (const [kind, member] of members) {
        await tx.run(
          'INSERT INTO integration_members (tid, integration, member_kind, member_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
          [tid, id, kind, member],
        );
      }
      if (!config.enabled)
        return (await tx.run('DELETE FROM blobs WHERE tid = ? AND integration = ?', [tid, id]))
          .changes;
      if (config.audience.kind === 'all') return 0;
      const owners = await tx.all<{ oid: string; groups: string | null }>(
        'SELECT DISTINCT b.oid, p.groups FROM blobs b LEFT JOIN principals p ON p.tid = b.tid AND p.oid = b.oid WHERE b.tid = ? AND b.integration = ?',
        [tid, id],
      );
      let deleted = 0;
      for (const owner of owners) {
        // The groups their last token carried, and the teams synced from Dynamics 365 they are in.
        const groups = [
          ...(owner.groups ? (JSON.parse(owner.groups) as string[]) : []),
          ...(await syncedGroupsOf(tx, tid, owner.oid)),
        ];
        if (!inAudience(config.audience, { oid: owner.oid, groups })) {
          deleted += (
            await tx.run('DELETE FROM blobs WHERE tid = ? AND oid = ? AND integration = ?', [
              tid,
              owner.oid,
              id,
            ])
          ).changes;
        }
      }
      return deleted;
    });
  }

  /** Disables an integration, keeping its audience and settings, and deletes every blob it held (every connection). */
  async disableIntegration(tid: string, actor: string, id: string, now: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      // Locks the settings row first, like setIntegration.
      await tx.run(
        "INSERT INTO integrations (tid, integration, enabled, audience_kind, settings, updated_at, updated_by) VALUES (?, ?, 0, 'all', '{}', ?, ?) " +
          'ON CONFLICT (tid, integration) DO UPDATE SET enabled = 0, updated_at = excluded.updated_at, updated_by = excluded.updated_by',
        [tid, id, now, actor],
      );
      return (await tx.run('DELETE FROM blobs WHERE tid = ? AND integration = ?', [tid, id]))
        .changes;
    });
  }

  /**
   * Appends audit records atomically, up to AUDIT_ROWS_PER_STATEMENT rows per INSERT: one
   * statement per record cost a round trip each on PostgreSQL, holding a pooled connection the
   * whole batch while blob reads queued for one.
   */
  async auditMany(entries: readonly { record: AuditRecord; at: number }[]): Promise<void> {
    const rows = auditValues(entries);
    const perStatement = AUDIT_ROWS_PER_STATEMENT[this.db.dialect];
    const write = async (tx: SqlDriver) => {
      for (let start = 0; start < rows.length; start += perStatement) {
        const chunk = rows.slice(start, start + perStatement);
        await tx.run(`${AUDIT_INSERT} ${chunk.map(() => AUDIT_ROW).join(', ')}`, chunk.flat());
      }
    };
    // One statement is atomic by itself: BEGIN and COMMIT would add two round trips per batch on
    // PostgreSQL, each holding a pooled connection that blob reads wait for.
    if (entries.length <= perStatement) await write(this.db);
    else await this.db.transaction(write);
  }

  /**
   * The same records as `auditMany` writes, as rows of one single-row INSERT, for a writer with a
   * connection of its own (SQLite's background writer) to run in one transaction.
   */
  auditRows(entries: readonly { record: AuditRecord; at: number }[]): {
    sql: string;
    rows: unknown[][];
  } {
    return { sql: `${AUDIT_INSERT} ${AUDIT_ROW}`, rows: auditValues(entries) };
  }

  /**
   * A page of the tenant's audit log, newest first; `before` is the cursor `<at>:<id>` of the last
   * entry seen. `filter` narrows it: a user (as actor or as the user acted on), an action, an
   * integration, a time range (ms, `from` inclusive, `to` exclusive).
   */
  async readAudit(
    tid: string,
    limit: number,
    before?: { at: number; id: string },
    filter: AuditFilter = {},
  ): Promise<AuditEntry[]> {
    const where = ['tid = ?'];
    const params: unknown[] = [tid];
    if (before) {
      where.push('(at < ? OR (at = ? AND id < ?))');
      params.push(before.at, before.at, before.id);
    }
    if (filter.user) {
      where.push('(actor = ? OR target = ?)');
      params.push(filter.user, filter.user);
    }
    if (filter.action) {
      where.push('action = ?');
      params.push(filter.action);
    }
    if (filter.integration) {
      where.push('integration = ?');
      params.push(filter.integration);
    }
    if (filter.from !== undefined) {
      where.push('at >= ?');
      params.push(filter.from);
    }
    if (filter.to !== undefined) {
      where.push('at < ?');
      params.push(filter.to);
    }
    const rows = await this.db.all<{
      id: string;
      at: number | string;
      tid: string;
      actor: string;
      action: AuditEntry['action'];
      integration: string | null;
      connection_id: string | null;
      device_id: string | null;
      target: string | null;
      outcome: number;
      request_id: string;
      detail: string | null;
    }>(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY at DESC, id DESC LIMIT ?`, [
      ...params,
      limit,
    ]);
    return rows.map((row) => ({
      id: row.id,
      at: new Date(Number(row.at)).toISOString(),
      tenantId: row.tid,
      actorId: row.actor,
      action: row.action,
      integration: row.integration,
      connection: row.connection_id,
      deviceId: row.device_id,
      targetUserId: row.target,
      outcome: Number(row.outcome),
      requestId: row.request_id,
      ...(row.detail ? { detail: JSON.parse(row.detail) as AuditDetail } : {}),
    }));
  }

  /**
   * Per user and integration: how many connections hold a blob and when one was last written, for
   * the console's Users page (what each user has connected, and when it was last used).
   */
  async connectedIntegrations(tid: string): Promise<UserIntegrationUse[]> {
    const rows = await this.db.all<{
      oid: string;
      integration: string;
      connections: number | string;
      last_used: number | string;
    }>(
      'SELECT oid, integration, COUNT(DISTINCT connection_id) AS connections, MAX(updated_at) AS last_used FROM blobs WHERE tid = ? GROUP BY oid, integration ORDER BY oid, integration',
      [tid],
    );
    return rows.map((row) => ({
      oid: row.oid,
      integration: row.integration,
      connections: Number(row.connections),
      lastUsedAt: Number(row.last_used),
    }));
  }

  /** The users the store has seen (from their tokens), with the groups their last token carried. */
  async seenPrincipals(tid: string): Promise<{ oid: string; groups: string[]; seenAt: number }[]> {
    const rows = await this.db.all<{ oid: string; groups: string; seen_at: number | string }>(
      'SELECT oid, groups, seen_at FROM principals WHERE tid = ? ORDER BY oid',
      [tid],
    );
    return rows.map((row) => ({
      oid: row.oid,
      groups: JSON.parse(row.groups) as string[],
      seenAt: Number(row.seen_at),
    }));
  }
}

/** The Entra group object ids of the synced teams an active directory user is in (see admission.ts). */
export async function syncedGroupsOf(db: SqlDriver, tid: string, oid: string): Promise<string[]> {
  const rows = await db.all<{ object_id: string }>(
    'SELECT DISTINCT g.object_id FROM directory_users u ' +
      'JOIN directory_group_members m ON m.tid = u.tid AND m.system_user_id = u.system_user_id ' +
      'JOIN directory_groups g ON g.tid = m.tid AND g.team_id = m.team_id ' +
      "WHERE u.tid = ? AND u.object_id = ? AND u.status = 'active' AND g.object_id IS NOT NULL",
    [tid, oid.toLowerCase()],
  );
  return rows.map((row) => row.object_id);
}

/** Whether the synced directory marks this user inactive. */
export async function isInactive(db: SqlDriver, tid: string, oid: string): Promise<boolean> {
  const rows = await db.all(
    "SELECT 1 AS one FROM directory_users WHERE tid = ? AND object_id = ? AND status = 'inactive'",
    [tid, oid.toLowerCase()],
  );
  return rows.length > 0;
}

function deleteBlobsOf(
  db: SqlDriver,
  tid: string,
  oid: string,
  integration: string | undefined,
): Promise<number> {
  return (
    integration
      ? db.run('DELETE FROM blobs WHERE tid = ? AND oid = ? AND integration = ?', [
          tid,
          oid,
          integration,
        ])
      : db.run('DELETE FROM blobs WHERE tid = ? AND oid = ?', [tid, oid])
  ).then(({ changes }) => changes);
}
