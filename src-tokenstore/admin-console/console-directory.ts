/**
 * What the console reads from (and asks of) the store's directory sync: the synced users and
 * groups the Users page lists and the audience picker searches, the sync's settings, status and
 * runs, and "Sync now". The console depends on this small interface only; the store fills it from
 * the directory sync's repositories (src-tokenstore/directory/), and a store without a directory
 * sync leaves it out (the pages then say so).
 */

/** A synced user. `objectId` is the Entra object id (a token's `oid`): what audiences name. */
export interface ConsoleUser {
  readonly objectId: string | null;
  readonly fullName: string;
  readonly email: string | null;
  readonly status: 'active' | 'inactive';
  readonly inactiveReason: string | null;
  /** ISO time of the last sync that read this user. */
  readonly syncedAt: string;
}

/** A synced group. Only groups with an Entra object id can be an audience. */
export interface ConsoleGroup {
  readonly objectId: string | null;
  readonly name: string;
  readonly memberCount: number;
}

/** One sync run as the Directory sync page lists it. */
export interface ConsoleSyncRun {
  readonly id: string;
  readonly kind: string;
  readonly trigger: string;
  readonly status: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly created: number;
  readonly updated: number;
  readonly deactivated: number;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly note: string | null;
}

/** The sync's state at a glance. */
export interface ConsoleSyncStatus {
  readonly configured: boolean;
  readonly enabled: boolean;
  readonly lastSuccessAt: string | null;
  readonly nextRunAt: string | null;
  readonly users: { readonly active: number; readonly inactive: number };
  readonly groups: number;
}

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
  /** The stored settings as the form edits them (JSON), or null before the first save. */
  settings(tid: string): Promise<unknown>;
  /** Checks and stores settings; answers what was stored, or why not. */
  saveSettings(
    actor: DirectoryActor,
    input: unknown,
  ): Promise<{ readonly ok: true; readonly settings: unknown } | SettingsRefusal>;
  /** Starts a full sync now (or joins the one under way). */
  syncNow(
    actor: DirectoryActor,
  ): Promise<{ readonly started: boolean; readonly runId: string | null }>;
}
