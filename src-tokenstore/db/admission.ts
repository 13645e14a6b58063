import type { Audience } from '../../src-shared/tokenstore/api';

/** Whether a caller may use an integration now, and the revocation epoch that answer was read at. */
export interface Admission {
  readonly admitted: boolean;
  /** The synced directory marks the caller inactive (disabled in Dynamics 365, or removed). */
  readonly inactive: boolean;
  /** Sum of the admin revokes of this user (for this integration or all); only ever grows. */
  readonly epoch: number;
}

/** The admission columns of a row, as both backends return them. */
export interface AdmissionRow {
  readonly enabled: number | string;
  readonly audience_kind: Audience['kind'];
  readonly user_member: number | string;
  readonly group_member: number | string;
  readonly epoch: number | string | null;
  readonly inactive: number | string;
}

/** Who asks, as far as admission cares: ids as the verified token states them. */
export interface AdmissionCaller {
  readonly tid: string;
  readonly oid: string;
  readonly groups: readonly string[];
}

/**
 * Select-list columns that decide admission for `caller` over the integrations row aliased `i`, so
 * a route reads the settings in the same statement (one snapshot) as whatever else it needs: there
 * is no process-local copy of the settings to go stale between an admin's change and this read.
 * Ids compare case-insensitively, like `inAudience`.
 */
export function admissionColumns(caller: AdmissionCaller): { sql: string; params: unknown[] } {
  const groups = [...new Set(caller.groups.map((group) => group.toLowerCase()))];
  const oid = caller.oid.toLowerCase();
  return { sql: columnsFor(groups.length), params: [oid, ...groups, oid, oid, oid, oid] };
}

/**
 * The select-list text per number of groups (tokens carry at most 500): built once each rather
 * than on every request, where building it showed in the hot path's profile, and always the same
 * string, whose hash the drivers' statement caches then compute once.
 */
const columnsByGroupCount = new Map<number, string>();

function columnsFor(groupCount: number): string {
  let sql = columnsByGroupCount.get(groupCount);
  if (sql === undefined) {
    sql = buildColumns(groupCount);
    columnsByGroupCount.set(groupCount, sql);
  }
  return sql;
}

function buildColumns(groupCount: number): string {
  const member = (kind: 'user' | 'group', match: string) =>
    `CASE WHEN EXISTS (SELECT 1 FROM integration_members m WHERE m.tid = i.tid AND m.integration = i.integration AND m.member_kind = '${kind}' AND ${match}) THEN 1 ELSE 0 END`;
  // Besides the groups the token states, the teams synced from Dynamics 365 (Entra group teams carry
  // the group's object id): an audience of groups admits their members too. Directory object ids
  // are stored lower-case, so the index on (tid, object_id) serves these lookups.
  const synced =
    'EXISTS (SELECT 1 FROM directory_users u JOIN directory_group_members dm ON dm.tid = u.tid AND dm.system_user_id = u.system_user_id ' +
    'JOIN directory_groups g ON g.tid = dm.tid AND g.team_id = dm.team_id ' +
    "WHERE u.tid = m.tid AND u.object_id = ? AND u.status = 'active' AND g.object_id = lower(m.member_id))";
  return [
    'i.enabled',
    'i.audience_kind',
    `${member('user', 'lower(m.member_id) = ?')} AS user_member`,
    // `IN ()` is a syntax error on PostgreSQL: no token groups, only the synced ones.
    groupCount > 0
      ? `${member('group', `(lower(m.member_id) IN (${Array.from({ length: groupCount }, () => '?').join(', ')}) OR ${synced})`)} AS group_member`
      : `${member('group', synced)} AS group_member`,
    // The integration's own row and the all-integrations row ('*'), each one primary-key lookup: an
    // aggregate (SUM over both) cost PostgreSQL an Agg node to set up on every read.
    `COALESCE((SELECT r.epoch FROM user_revocations r WHERE r.tid = i.tid AND r.oid = ? AND r.integration = i.integration), 0) + ` +
      `COALESCE((SELECT r.epoch FROM user_revocations r WHERE r.tid = i.tid AND r.oid = ? AND r.integration = '*'), 0) AS epoch`,
    "CASE WHEN EXISTS (SELECT 1 FROM directory_users d WHERE d.tid = i.tid AND d.object_id = ? AND d.status = 'inactive') THEN 1 ELSE 0 END AS inactive",
  ].join(', ');
}

/** Reads a row selected with `admissionColumns`; no row (integration never configured) admits nobody. */
export function admissionOf(row: AdmissionRow | undefined): Admission {
  if (!row) return { admitted: false, inactive: false, epoch: 0 };
  const epoch = Number(row.epoch ?? 0);
  const inactive = Number(row.inactive) === 1;
  if (inactive || Number(row.enabled) !== 1) return { admitted: false, inactive, epoch };
  switch (row.audience_kind) {
    case 'all':
      return { admitted: true, inactive, epoch };
    case 'users':
      return { admitted: Number(row.user_member) === 1, inactive, epoch };
    case 'groups':
      return { admitted: Number(row.group_member) === 1, inactive, epoch };
  }
}
