import type {
  DirectoryGroup,
  DirectorySettings,
  DirectoryStatus,
  DirectoryUser,
  SyncRun,
} from '../../src-shared/tokenstore/directory-api';

/**
 * What the console reads from (and asks of) the store's directory sync: the synced users and
 * groups the Users page lists and the audience picker searches, the sync's settings, status and
 * runs, and "Sync now". The console depends on this small interface only; the store fills it from
 * the directory sync's repositories (src-tokenstore/directory/), and a store without a directory
 * sync leaves it out (the pages then say so).
 */

/** A synced user, as the console shows one. `objectId` is what audiences name (a token's `oid`). */
export type ConsoleUser = Pick<
  DirectoryUser,
  'objectId' | 'fullName' | 'email' | 'status' | 'inactiveReason' | 'syncedAt'
>;

/** A synced group. Only groups with an Entra object id can be an audience. */
export type ConsoleGroup = Pick<DirectoryGroup, 'objectId' | 'name' | 'memberCount'>;

/** One sync run as the Directory sync page lists it. */
export type ConsoleSyncRun = Pick<
  SyncRun,
  | 'id'
  | 'kind'
  | 'trigger'
  | 'status'
  | 'startedAt'
  | 'finishedAt'
  | 'created'
  | 'updated'
  | 'deactivated'
  | 'note'
> & { readonly error: Pick<NonNullable<SyncRun['error']>, 'code' | 'message'> | null };

/** The sync's state at a glance. */
export type ConsoleSyncStatus = Pick<
  DirectoryStatus,
  'configured' | 'enabled' | 'lastSuccessAt' | 'nextRunAt' | 'users' | 'groups'
>;

/** A settings save refused, field by field. */
export interface SettingsRefusal {
  readonly ok: false;
  readonly issues: readonly { readonly path: string; readonly message: string }[];
}

/** Who acts, for the sync's own records. */
export interface DirectoryActor {
  readonly tid: string;
  readonly oid: string;
}

export interface ConsoleDirectory {
  listUsers(
    tid: string,
    query: { readonly search?: string; readonly offset: number; readonly limit: number },
  ): Promise<{ users: ConsoleUser[]; total: number }>;
  /** The users with these object ids (any order; unknown ids are left out). */
  usersByObjectId(tid: string, objectIds: readonly string[]): Promise<ConsoleUser[]>;
  /** The groups with these object ids (any order; unknown ids are left out). */
  groupsByObjectId(tid: string, objectIds: readonly string[]): Promise<ConsoleGroup[]>;
  listGroups(
    tid: string,
    query: { readonly search?: string; readonly limit: number },
  ): Promise<ConsoleGroup[]>;
  status(tid: string): Promise<ConsoleSyncStatus>;
  runs(tid: string, limit: number): Promise<ConsoleSyncRun[]>;
  /** The stored settings, or null before the first save. */
  settings(tid: string): Promise<DirectorySettings | null>;
  /** Checks and stores settings; answers what was stored, or why not. */
  saveSettings(
    actor: DirectoryActor,
    input: unknown,
  ): Promise<{ readonly ok: true; readonly settings: unknown } | SettingsRefusal>;
  /** Starts a sync now, unless one is under way; `unavailable` when this store runs no sync. */
  syncNow(actor: DirectoryActor): Promise<{
    readonly started: boolean;
    readonly runId: string | null;
    readonly unavailable?: boolean;
  }>;
}
