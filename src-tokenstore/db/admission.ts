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
  const { oid, groups } = admissionIds(caller);
  return { sql: columnsFor(groups.length), params: [oid, ...groups, oid, oid, oid, oid] };
}

/** The caller's object id and distinct token groups, lower-cased as admission compares them. */
export function admissionIds(caller: AdmissionCaller): { oid: string; groups: string[] } {
  return {
    oid: caller.oid.toLowerCase(),
    groups: [...new Set(caller.groups.map((group) => group.toLowerCase()))],
  };
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
    const placeholders = Array.from({ length: groupCount }, () => '?').join(', ');
    // `IN ()` is a syntax error on PostgreSQL: no token groups, only the synced ones.
    sql = buildColumns('?', groupCount > 0 ? (id) => `${id} IN (${placeholders})` : undefined);
    columnsByGroupCount.set(groupCount, sql);
  }
  return sql;
}

/**
 * The same columns for many callers in one PostgreSQL statement: each row of the set aliased `q`
 * carries its caller's lower-cased object id (`q.member_oid`) and token groups (`q.groups`, a JSON
 * array of lower-cased ids), so every caller is admitted by exactly the rules `admissionColumns`
 * states for one.
 */
export const BATCHED_ADMISSION_COLUMNS = buildColumns(
  'q.member_oid',
  (id) => `${id} IN (SELECT jsonb_array_elements_text(q.groups::jsonb))`,
);

/**
 * `oid` is the caller's lower-cased object id as SQL (a placeholder or a column), `inTokenGroups`
 * what says a member id is one of the token's groups (none: the token states no group). With `?`
 * placeholders they occur in the order `admissionColumns` lists its params.
 */
function buildColumns(oid: string, inTokenGroups?: (memberId: string) => string): string {
  const member = (kind: 'user' | 'group', match: string) =>
    `CASE WHEN EXISTS (SELECT 1 FROM integration_members m WHERE m.tid = i.tid AND m.integration = i.integration AND m.member_kind = '${kind}' AND ${match}) THEN 1 ELSE 0 END`;
  // Besides the groups the token states, the teams synced from Dynamics 365 (Entra group teams carry
  // the group's object id): an audience of groups admits their members too. Directory object ids
  // are stored lower-case, so the index on (tid, object_id) serves these lookups.
  const synced =
    'EXISTS (SELECT 1 FROM directory_users u JOIN directory_group_members dm ON dm.tid = u.tid AND dm.system_user_id = u.system_user_id ' +
    'JOIN directory_groups g ON g.tid = dm.tid AND g.team_id = dm.team_id ' +
    `WHERE u.tid = m.tid AND u.object_id = ${oid} AND u.status = 'active' AND g.object_id = lower(m.member_id))`;
  return [
    'i.enabled',
    'i.audience_kind',
    `${member('user', `lower(m.member_id) = ${oid}`)} AS user_member`,
    inTokenGroups
      ? `${member('group', `(${inTokenGroups('lower(m.member_id)')} OR ${synced})`)} AS group_member`
      : `${member('group', synced)} AS group_member`,
    // The integration's own row and the all-integrations row ('*'), each one primary-key lookup: an
    // aggregate (SUM over both) cost PostgreSQL an Agg node to set up on every read.
    `COALESCE((SELECT r.epoch FROM user_revocations r WHERE r.tid = i.tid AND r.oid = ${oid} AND r.integration = i.integration), 0) + ` +
      `COALESCE((SELECT r.epoch FROM user_revocations r WHERE r.tid = i.tid AND r.oid = ${oid} AND r.integration = '*'), 0) AS epoch`,
    `CASE WHEN EXISTS (SELECT 1 FROM directory_users d WHERE d.tid = i.tid AND d.object_id = ${oid} AND d.status = 'inactive') THEN 1 ELSE 0 END AS inactive`,
  ].join(', ');
}

/**
 * A statement that embeds the admission columns, as a function from the columns' text to its own:
 * each text made once (so once per group count) rather than concatenated on every request, like
 * the columns themselves.
 */
export function statementWithAdmission(
  build: (columns: string) => string,
): (columns: string) => string {
  const texts = new Map<string, string>();
  return (columns) => {
    let sql = texts.get(columns);
    if (sql === undefined) {
      sql = build(columns);
      texts.set(columns, sql);
    }
    return sql;
  };
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
