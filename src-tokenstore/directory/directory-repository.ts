import {
  directorySettingsSchema,
  type DirectoryGroup,
  type DirectorySettings,
  type DirectoryUser,
  type DirectoryUsersQuery,
} from '../../src-shared/tokenstore/directory-api';
import { directoryUsersQuerySchema } from '../../src-shared/tokenstore/directory-api';
import { randomUUID } from 'node:crypto';
import type { AuditAction } from '../../src-shared/tokenstore/api';
import type { SqlDriver } from '../db/sql-driver';
import { syncedGroupsOf } from '../db/token-store-repository';

/** A `systemuser` row after the field mapping (map-system-user.ts). */
export interface SyncedUser {
  readonly systemUserId: string;
  readonly objectId: string | null;
  readonly fullName: string;
  readonly email: string | null;
  readonly domainName: string | null;
  readonly title: string | null;
  readonly businessUnitId: string | null;
  readonly isDisabled: boolean;
}

/** A `team` row: an Entra group team carries the group's object id. */
export interface SyncedTeam {
  readonly teamId: string;
  readonly name: string;
  readonly objectId: string | null;
  readonly teamType: number;
}

/** What applying a batch changed, for the run record. */
export interface ApplyCounts {
  created: number;
  updated: number;
  deactivated: number;
}

export interface StoredDirectorySettings {
  readonly settings: DirectorySettings;
  readonly updatedAt: number;
  readonly updatedBy: string;
}

interface UserRow {
  system_user_id: string;
  object_id: string | null;
  full_name: string;
  email: string | null;
  domain_name: string | null;
  title: string | null;
  business_unit_id: string | null;
  is_disabled: number | string;
  status: 'active' | 'inactive';
  inactive_reason: 'disabled' | 'removed' | null;
  synced_at: number | string;
}

const USER_COLUMNS =
  'system_user_id, object_id, full_name, email, domain_name, title, business_unit_id, is_disabled, status, inactive_reason, synced_at';

/** 50 rows of 12 values stay under SQLite's oldest bound of 999 parameters per statement. */
const ROWS_PER_INSERT = 50;
/** Ids per `IN (…)` list, well under both backends' parameter limits. */
const IDS_PER_STATEMENT = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    out.push(items.slice(start, start + size));
  return out;
}

const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');

/** `%` and `_` are LIKE wildcards; a search for them means the characters. */
const likePattern = (search: string) =>
  `%${search.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

function userOf(row: UserRow): DirectoryUser {
  return {
    systemUserId: row.system_user_id,
    objectId: row.object_id,
    fullName: row.full_name,
    email: row.email,
    domainName: row.domain_name,
    title: row.title,
    businessUnitId: row.business_unit_id,
    status: row.status,
    inactiveReason: row.inactive_reason,
    syncedAt: new Date(Number(row.synced_at)).toISOString(),
  };
}

/** Whether a stored row differs from what Dynamics says now. */
function changed(row: UserRow, user: SyncedUser): boolean {
  return (
    row.object_id !== (user.objectId?.toLowerCase() ?? null) ||
    row.full_name !== user.fullName ||
    row.email !== user.email ||
    row.domain_name !== user.domainName ||
    row.title !== user.title ||
    row.business_unit_id !== user.businessUnitId ||
    (Number(row.is_disabled) === 1) !== user.isDisabled ||
    (row.status === 'inactive') !== user.isDisabled
  );
}

/**
 * The synced directory of each tenant: settings, users, teams and memberships. Reads serve the admin
 * console (users with search and paging, groups by name) and admission (is this caller inactive?
 * which synced groups are they in?); writes serve the sync engine, a page at a time.
 *
 * A user who becomes inactive (disabled in Dynamics, or gone from it) loses their blobs in the same
 * transaction that marks them, and that transaction revokes them like an admin's revoke does
 * (`TokenStoreRepository.revokeUser`): on PostgreSQL it locks the tenant's integration rows that blob
 * writes hold FOR SHARE, and bumps the user's revocation epoch, so no blob write admitted before can
 * land after.
 */
export class DirectoryRepository {
  constructor(
    private readonly db: SqlDriver,
    /** Origins admins may name besides Microsoft's (the demo's sandbox), as for integrations. */
    private readonly extraOrigins: readonly string[] = [],
  ) {}

  async getSettings(tid: string): Promise<StoredDirectorySettings | undefined> {
    const rows = await this.db.all<{
      settings: string;
      updated_at: number | string;
      updated_by: string;
    }>('SELECT settings, updated_at, updated_by FROM directory_settings WHERE tid = ?', [tid]);
    const row = rows[0];
    if (!row) return undefined;
    return {
      // Parsed again on the way out: what was stored under an older schema gets today's defaults.
      settings: directorySettingsSchema(this.extraOrigins).parse(JSON.parse(row.settings)),
      updatedAt: Number(row.updated_at),
      updatedBy: row.updated_by,
    };
  }

  /** Saves settings already parsed by `directorySettingsSchema` (they only name secrets). */
  async putSettings(
    tid: string,
    actor: string,
    settings: DirectorySettings,
    now: number,
  ): Promise<void> {
    await this.db.run(
      'INSERT INTO directory_settings (tid, settings, updated_at, updated_by) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (tid) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by',
      [tid, JSON.stringify(settings), now, actor],
    );
  }

  /** Every tenant with saved directory settings. */
  async tenants(): Promise<string[]> {
    const rows = await this.db.all<{ tid: string }>(
      'SELECT tid FROM directory_settings ORDER BY tid',
    );
    return rows.map((row) => row.tid);
  }

  /** A page of users ordered by name, optionally matching `search` in name, email or sign-in name. */
  async listUsers(
    tid: string,
    query: DirectoryUsersQuery = {},
  ): Promise<{ users: DirectoryUser[]; total: number }> {
    const { search, status, offset, limit } = directoryUsersQuerySchema.parse(query);
    const where = ['tid = ?'];
    const params: unknown[] = [tid];
    if (search) {
      where.push(
        "(lower(full_name) LIKE ? ESCAPE '\\' OR lower(email) LIKE ? ESCAPE '\\' OR lower(domain_name) LIKE ? ESCAPE '\\')",
      );
      const pattern = likePattern(search);
      params.push(pattern, pattern, pattern);
    }
    if (status) {
      where.push('status = ?');
      params.push(status);
    }
    const clause = where.join(' AND ');
    const [rows, count] = await Promise.all([
      this.db.all<UserRow>(
        `SELECT ${USER_COLUMNS} FROM directory_users WHERE ${clause} ORDER BY full_name, system_user_id LIMIT ? OFFSET ?`,
        [...params, limit, offset],
      ),
      this.db.all<{ n: number | string }>(
        `SELECT COUNT(*) AS n FROM directory_users WHERE ${clause}`,
        params,
      ),
    ]);
    return { users: rows.map(userOf), total: Number(count[0]?.n ?? 0) };
  }

  /** The user an Entra object id names, if the directory holds them. */
  async userByObjectId(tid: string, objectId: string): Promise<DirectoryUser | undefined> {
    const rows = await this.db.all<UserRow>(
      `SELECT ${USER_COLUMNS} FROM directory_users WHERE tid = ? AND object_id = ?`,
      [tid, objectId.toLowerCase()],
    );
    return rows[0] ? userOf(rows[0]) : undefined;
  }

  async userCounts(tid: string): Promise<{ active: number; inactive: number }> {
    const rows = await this.db.all<{ status: string; n: number | string }>(
      'SELECT status, COUNT(*) AS n FROM directory_users WHERE tid = ? GROUP BY status',
      [tid],
    );
    const of = (status: string) => Number(rows.find((row) => row.status === status)?.n ?? 0);
    return { active: of('active'), inactive: of('inactive') };
  }

  /** Teams by name (optionally matching `search`), with their member counts. */
  async listGroups(
    tid: string,
    query: { search?: string; limit?: number } = {},
  ): Promise<DirectoryGroup[]> {
    const params: unknown[] = [tid];
    let filter = '';
    if (query.search) {
      filter = " AND lower(g.name) LIKE ? ESCAPE '\\'";
      params.push(likePattern(query.search));
    }
    const rows = await this.db.all<{
      team_id: string;
      name: string;
      object_id: string | null;
      team_type: number | string;
      members: number | string;
    }>(
      'SELECT g.team_id, g.name, g.object_id, g.team_type, ' +
        '(SELECT COUNT(*) FROM directory_group_members m WHERE m.tid = g.tid AND m.team_id = g.team_id) AS members ' +
        `FROM directory_groups g WHERE g.tid = ?${filter} ORDER BY g.name, g.team_id LIMIT ?`,
      [...params, query.limit ?? 50],
    );
    return rows.map((row) => ({
      teamId: row.team_id,
      name: row.name,
      objectId: row.object_id,
      teamType: Number(row.team_type),
      memberCount: Number(row.members),
    }));
  }

  async groupCount(tid: string): Promise<number> {
    const rows = await this.db.all<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM directory_groups WHERE tid = ?',
      [tid],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** The Entra group object ids of the synced teams an active user is a member of. */
  async syncedGroupsOf(tid: string, objectId: string): Promise<string[]> {
    return syncedGroupsOf(this.db, tid, objectId);
  }

  /**
   * Creates or updates a page of users in one transaction. Users Dynamics reports disabled become
   * inactive and lose their blobs; a `pass` marks them seen by a full read (see `deactivateUnseen`).
   */
  async applyUsers(
    tid: string,
    users: readonly SyncedUser[],
    pass: string | undefined,
    now: number,
  ): Promise<ApplyCounts> {
    const counts: ApplyCounts = { created: 0, updated: 0, deactivated: 0 };
    if (users.length === 0) return counts;
    // A page may name a user twice (a delta lists a row once per change); the last word wins.
    const latest = [...new Map(users.map((user) => [user.systemUserId, user])).values()];
    await this.db.transaction(async (tx) => {
      const existing = new Map<string, UserRow>();
      for (const ids of chunks(
        latest.map((user) => user.systemUserId),
        IDS_PER_STATEMENT,
      )) {
        const rows = await tx.all<UserRow>(
          `SELECT ${USER_COLUMNS} FROM directory_users WHERE tid = ? AND system_user_id IN (${placeholders(ids.length)})`,
          [tid, ...ids],
        );
        for (const row of rows) existing.set(row.system_user_id, row);
      }
      const inserts: SyncedUser[] = [];
      const revoke: string[] = [];
      for (const user of latest) {
        const row = existing.get(user.systemUserId);
        if (!row) {
          inserts.push(user);
          counts.created += 1;
          if (user.isDisabled && user.objectId) revoke.push(user.objectId);
          continue;
        }
        if (!changed(row, user)) continue;
        counts.updated += 1;
        if (user.isDisabled && row.status === 'active') {
          counts.deactivated += 1;
          if (user.objectId) revoke.push(user.objectId);
        }
        await tx.run(
          'UPDATE directory_users SET object_id = ?, full_name = ?, email = ?, domain_name = ?, title = ?, business_unit_id = ?, ' +
            'is_disabled = ?, status = ?, inactive_reason = ?, synced_at = ? WHERE tid = ? AND system_user_id = ?',
          [
            user.objectId?.toLowerCase() ?? null,
            user.fullName,
            user.email,
            user.domainName,
            user.title,
            user.businessUnitId,
            user.isDisabled ? 1 : 0,
            user.isDisabled ? 'inactive' : 'active',
            user.isDisabled ? 'disabled' : null,
            now,
            tid,
            user.systemUserId,
          ],
        );
      }
      for (const rows of chunks(inserts, ROWS_PER_INSERT)) {
        await tx.run(
          `INSERT INTO directory_users (tid, ${USER_COLUMNS}, seen_pass) VALUES ` +
            rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', '),
          rows.flatMap((user) => [
            tid,
            user.systemUserId,
            user.objectId?.toLowerCase() ?? null,
            user.fullName,
            user.email,
            user.domainName,
            user.title,
            user.businessUnitId,
            user.isDisabled ? 1 : 0,
            user.isDisabled ? 'inactive' : 'active',
            user.isDisabled ? 'disabled' : null,
            now,
            pass ?? null,
          ]),
        );
      }
      if (pass) {
        for (const ids of chunks(
          latest.map((user) => user.systemUserId),
          IDS_PER_STATEMENT,
        ))
          await tx.run(
            `UPDATE directory_users SET seen_pass = ? WHERE tid = ? AND system_user_id IN (${placeholders(ids.length)})`,
            [pass, tid, ...ids],
          );
      }
      await revokeObjectIds(tx, tid, revoke, now, 'disabled');
    });
    return counts;
  }

  /** Users Dynamics reports deleted (or a single-user read found gone): inactive, blobs deleted. */
  async removeUsers(tid: string, systemUserIds: readonly string[], now: number): Promise<number> {
    if (systemUserIds.length === 0) return 0;
    return this.db.transaction(async (tx) => {
      let deactivated = 0;
      const revoke: string[] = [];
      for (const ids of chunks(systemUserIds, IDS_PER_STATEMENT)) {
        // A row created and deleted between two syncs is still reported deleted: unknown ids are no-ops.
        const rows = await tx.all<{ system_user_id: string; object_id: string | null }>(
          `SELECT system_user_id, object_id FROM directory_users WHERE tid = ? AND status = 'active' AND system_user_id IN (${placeholders(ids.length)})`,
          [tid, ...ids],
        );
        deactivated += await markRemoved(tx, tid, rows, now);
        revoke.push(...rows.flatMap((row) => (row.object_id ? [row.object_id] : [])));
      }
      await revokeObjectIds(tx, tid, revoke, now, 'removed');
      return deactivated;
    });
  }

  /** After a full read: active users it did not see are gone from Dynamics. */
  async deactivateUnseen(tid: string, pass: string, now: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.all<{ system_user_id: string; object_id: string | null }>(
        "SELECT system_user_id, object_id FROM directory_users WHERE tid = ? AND status = 'active' AND (seen_pass IS NULL OR seen_pass <> ?)",
        [tid, pass],
      );
      const deactivated = await markRemoved(tx, tid, rows, now);
      await revokeObjectIds(
        tx,
        tid,
        rows.flatMap((row) => (row.object_id ? [row.object_id] : [])),
        now,
        'removed',
      );
      return deactivated;
    });
  }

  /** Creates or updates a page of teams, marking them seen by `pass` (a full read; a delta has none). */
  async applyTeams(
    tid: string,
    teams: readonly SyncedTeam[],
    pass: string | undefined,
    now: number,
  ): Promise<void> {
    if (teams.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const team of teams) {
        await tx.run(
          'INSERT INTO directory_groups (tid, team_id, name, object_id, team_type, seen_pass, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
            'ON CONFLICT (tid, team_id) DO UPDATE SET name = excluded.name, object_id = excluded.object_id, team_type = excluded.team_type, ' +
            'seen_pass = COALESCE(excluded.seen_pass, directory_groups.seen_pass), synced_at = excluded.synced_at',
          [
            tid,
            team.teamId,
            team.name,
            team.objectId?.toLowerCase() ?? null,
            team.teamType,
            pass ?? null,
            now,
          ],
        );
      }
    });
  }

  /** Records a page of memberships (team, user, and the membership's own id), marking them seen by `pass`. */
  async applyMemberships(
    tid: string,
    pairs: readonly { teamId: string; systemUserId: string; membershipId?: string | null }[],
    pass: string | undefined,
  ): Promise<void> {
    if (pairs.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const rows of chunks(pairs, ROWS_PER_INSERT)) {
        await tx.run(
          'INSERT INTO directory_group_members (tid, team_id, system_user_id, membership_id, seen_pass) VALUES ' +
            rows.map(() => '(?, ?, ?, ?, ?)').join(', ') +
            ' ON CONFLICT (tid, team_id, system_user_id) DO UPDATE SET membership_id = COALESCE(excluded.membership_id, directory_group_members.membership_id), ' +
            'seen_pass = COALESCE(excluded.seen_pass, directory_group_members.seen_pass)',
          rows.flatMap((pair) => [
            tid,
            pair.teamId,
            pair.systemUserId,
            pair.membershipId ?? null,
            pass ?? null,
          ]),
        );
      }
    });
  }

  /** Teams a delta reports deleted, with their memberships; unknown ids are no-ops. */
  async removeTeams(tid: string, teamIds: readonly string[]): Promise<void> {
    if (teamIds.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const ids of chunks(teamIds, IDS_PER_STATEMENT)) {
        await tx.run(
          `DELETE FROM directory_group_members WHERE tid = ? AND team_id IN (${placeholders(ids.length)})`,
          [tid, ...ids],
        );
        await tx.run(
          `DELETE FROM directory_groups WHERE tid = ? AND team_id IN (${placeholders(ids.length)})`,
          [tid, ...ids],
        );
      }
    });
  }

  /** Memberships a delta reports deleted, by their own id; unknown ids are no-ops. */
  async removeMemberships(tid: string, membershipIds: readonly string[]): Promise<void> {
    for (const ids of chunks(membershipIds, IDS_PER_STATEMENT))
      await this.db.run(
        `DELETE FROM directory_group_members WHERE tid = ? AND membership_id IN (${placeholders(ids.length)})`,
        [tid, ...ids],
      );
  }

  /** After reading every team and membership: what the read did not see is gone. */
  async dropUnseenTeams(tid: string, pass: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(
        'DELETE FROM directory_group_members WHERE tid = ? AND (seen_pass IS NULL OR seen_pass <> ?)',
        [tid, pass],
      );
      await tx.run(
        'DELETE FROM directory_groups WHERE tid = ? AND (seen_pass IS NULL OR seen_pass <> ?)',
        [tid, pass],
      );
    });
  }
}

async function markRemoved(
  tx: SqlDriver,
  tid: string,
  rows: readonly { system_user_id: string }[],
  now: number,
): Promise<number> {
  for (const ids of chunks(
    rows.map((row) => row.system_user_id),
    IDS_PER_STATEMENT,
  ))
    await tx.run(
      `UPDATE directory_users SET status = 'inactive', inactive_reason = 'removed', synced_at = ? WHERE tid = ? AND system_user_id IN (${placeholders(ids.length)})`,
      [now, tid, ...ids],
    );
  return rows.length;
}

/** The audit's actor for what directory sync does on its own (no person asked). */
export const DIRECTORY_SYNC_ACTOR = 'directory-sync';
const DEACTIVATED = 'directory.user.deactivated';

/**
 * Deletes every blob of these users and bumps their revocation epoch for every integration, inside
 * the caller's transaction. On PostgreSQL it first locks the tenant's integration rows, which blob
 * writes hold FOR SHARE (see `TokenStoreRepository.writeBlob`), in a fixed order so two revokes
 * cannot deadlock.
 */
async function revokeObjectIds(
  tx: SqlDriver,
  tid: string,
  objectIds: readonly string[],
  now: number,
  reason: 'disabled' | 'removed',
): Promise<void> {
  if (objectIds.length === 0) return;
  if (tx.dialect === 'postgres')
    await tx.all(
      'SELECT integration FROM integrations WHERE tid = ? ORDER BY integration FOR UPDATE',
      [tid],
    );
  for (const oid of new Set(objectIds.map((id) => id.toLowerCase()))) {
    await tx.run(
      "INSERT INTO user_revocations (tid, oid, integration, epoch, revoked_at, revoked_by) VALUES (?, ?, '*', 1, ?, ?) " +
        'ON CONFLICT (tid, oid, integration) DO UPDATE SET epoch = user_revocations.epoch + 1, revoked_at = excluded.revoked_at, revoked_by = excluded.revoked_by',
      [tid, oid, now, DIRECTORY_SYNC_ACTOR],
    );
    await tx.run('DELETE FROM blobs WHERE tid = ? AND lower(oid) = ?', [tid, oid]);
    // In the same transaction: the audit says who was turned off exactly when it happened.
    await tx.run(
      'INSERT INTO audit_log (id, at, tid, actor, action, integration, connection_id, device_id, target, outcome, request_id, detail) VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL, ?, 200, ?, ?)',
      [
        randomUUID(),
        now,
        tid,
        DIRECTORY_SYNC_ACTOR,
        DEACTIVATED satisfies AuditAction,
        oid,
        randomUUID(),
        JSON.stringify({
          before: { status: 'active' },
          after: { status: 'inactive', reason, blobs: 'deleted' },
        }),
      ],
    );
  }
}
