import type { FieldMapping } from '../../src-shared/tokenstore/directory-api';
import type { SyncedTeam, SyncedUser } from './directory-repository';

/**
 * Columns read besides the mapping, to leave application users out of the people directory: an
 * application user has `applicationid` set, and `accessmode` 4 is Non-interactive
 * (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/systemuser).
 */
const APPLICATION_COLUMNS = ['applicationid', 'accessmode'] as const;
const NON_INTERACTIVE = 4;

/** The `$select` list for `systemusers`: the mapped columns and the application-user markers. */
export function userSelect(mapping: FieldMapping): string {
  return [...new Set([...Object.values(mapping), ...APPLICATION_COLUMNS])].join(',');
}

/** The `$select` list for `teams` (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/team). */
export const TEAM_SELECT = 'teamid,name,teamtype,azureactivedirectoryobjectid';
/** The `$select` list for the `teammembership` intersect table. */
export const MEMBERSHIP_SELECT = 'teammembershipid,teamid,systemuserid';

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;

/** One entry of a change-tracking response: a row, or a `$deletedEntity` with `id` and `reason`. */
export type DeltaEntry =
  | { readonly kind: 'row'; readonly row: Record<string, unknown> }
  | { readonly kind: 'deleted'; readonly id: string };

/**
 * Deleted rows come as `{"@odata.context": "…$deletedEntity", "id", "reason": "deleted"}`
 * (https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems).
 */
export function deltaEntry(row: Record<string, unknown>): DeltaEntry {
  const context = row['@odata.context'];
  if (
    (typeof context === 'string' && context.includes('$deletedEntity')) ||
    row.reason === 'deleted'
  ) {
    const id = text(row.id);
    if (id) return { kind: 'deleted', id };
  }
  return { kind: 'row', row };
}

/**
 * A `systemuser` row as a directory user, through the mapping; undefined for a row that is not a
 * person (an application user) or has no id. A user without `isdisabled` is taken as enabled.
 */
export function mapSystemUser(
  row: Record<string, unknown>,
  mapping: FieldMapping,
): SyncedUser | undefined {
  if (text(row.applicationid) || Number(row.accessmode) === NON_INTERACTIVE) return undefined;
  const systemUserId = text(row[mapping.systemUserId]);
  if (!systemUserId) return undefined;
  const disabled = row[mapping.isDisabled];
  return {
    systemUserId: systemUserId.toLowerCase(),
    objectId: text(row[mapping.objectId])?.toLowerCase() ?? null,
    fullName:
      text(row[mapping.fullName]) ??
      text(row[mapping.domainName]) ??
      text(row[mapping.email]) ??
      systemUserId,
    email: text(row[mapping.email]),
    domainName: text(row[mapping.domainName]),
    title: text(row[mapping.title]),
    businessUnitId: text(row[mapping.businessUnitId])?.toLowerCase() ?? null,
    isDisabled: disabled === true || disabled === 1 || disabled === 'true',
  };
}

/** Whether a `systemuser` row is an application user, which the people directory leaves out. */
export function isApplicationUser(row: Record<string, unknown>): boolean {
  return Boolean(text(row.applicationid)) || Number(row.accessmode) === NON_INTERACTIVE;
}

/** A `team` row; Entra group teams (types 2 and 3) carry the group's object id. */
export function mapTeam(row: Record<string, unknown>): SyncedTeam | undefined {
  const teamId = text(row.teamid);
  if (!teamId) return undefined;
  return {
    teamId: teamId.toLowerCase(),
    name: text(row.name) ?? teamId,
    objectId: text(row.azureactivedirectoryobjectid)?.toLowerCase() ?? null,
    teamType: Number(row.teamtype ?? 0),
  };
}

/** A `teammembership` row. */
export function mapMembership(
  row: Record<string, unknown>,
): { teamId: string; systemUserId: string; membershipId: string | null } | undefined {
  const teamId = text(row.teamid);
  const systemUserId = text(row.systemuserid);
  return teamId && systemUserId
    ? {
        teamId: teamId.toLowerCase(),
        systemUserId: systemUserId.toLowerCase(),
        membershipId: text(row.teammembershipid)?.toLowerCase() ?? null,
      }
    : undefined;
}
