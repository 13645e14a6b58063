import { directorySettingsSchema } from '../../src-shared/tokenstore/directory-api';
import type { DirectoryRepository } from '../directory/directory-repository';
import {
  DirectoryNotConfigured,
  type DirectorySyncService,
} from '../directory/directory-sync-service';
import { saveDirectorySettings } from '../directory/save-directory-settings';
import type { SyncRunRepository } from '../directory/sync-run-repository';
import { issuesOf } from '../http/store-error';
import type { ConsoleDirectory, DirectoryActor } from './console-directory';

/** How "Sync now" starts a run: the directory sync's service, handed in by the store. */
export type StartSync = (tid: string) => Promise<{
  readonly started: boolean;
  readonly runId: string | null;
  /** This store runs no sync for the tenant (not set up, or turned off). */
  readonly unavailable?: boolean;
}>;

/**
 * The console's "Sync now": the API's `POST /v1/admin/directory/sync` with `{}`, a delta when a
 * change-tracking link is saved (a whole read otherwise), so a disabled user is turned off by reading
 * only what changed (https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems).
 */
export function startSyncWith(sync: Pick<DirectorySyncService, 'syncNow'>): StartSync {
  return async (tid) => {
    try {
      const answer = await sync.syncNow(tid);
      return { started: answer.started, runId: answer.running?.id ?? null };
    } catch (error) {
      if (error instanceof DirectoryNotConfigured)
        return { started: false, runId: null, unavailable: true };
      throw error;
    }
  };
}

/**
 * The console's view of the directory sync: its repositories read as the pages need them. Names for
 * audiences and the audit log are looked up by object id among the synced users and groups.
 */
export function directorySource(deps: {
  readonly directory: DirectoryRepository;
  readonly runs: SyncRunRepository;
  /** Absent: this store runs no sync, and "Sync now" says sync is not set up here. */
  readonly startSync: StartSync | undefined;
  readonly extraOrigins: readonly string[];
  readonly now: () => number;
}): ConsoleDirectory {
  const { directory, runs } = deps;
  return {
    listUsers: (tid, query) =>
      directory.listUsers(tid, { search: query.search, offset: query.offset, limit: query.limit }),
    async usersByObjectId(tid, objectIds) {
      const found = await Promise.all(
        [...new Set(objectIds.map((id) => id.toLowerCase()))].map((id) =>
          directory.userByObjectId(tid, id),
        ),
      );
      return found.filter((user) => user !== undefined);
    },
    async groupsByObjectId(tid, objectIds) {
      const wanted = new Set(objectIds.map((id) => id.toLowerCase()));
      // A tenant syncs tens to a few hundred teams; the console asks for the few an audience names.
      const groups = await directory.listGroups(tid, { limit: 1000 });
      return groups.filter((group) => group.objectId && wanted.has(group.objectId.toLowerCase()));
    },
    listGroups: (tid, query) => directory.listGroups(tid, query),
    async status(tid) {
      const [stored, state, users, groups] = await Promise.all([
        directory.getSettings(tid),
        runs.state(tid),
        directory.userCounts(tid),
        directory.groupCount(tid),
      ]);
      const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
      return {
        configured: Boolean(stored),
        enabled: stored?.settings.enabled ?? false,
        lastSuccessAt: iso(state.lastSuccessAt),
        nextRunAt: iso(state.nextRunAt),
        users,
        groups,
      };
    },
    runs: (tid, limit) => runs.listRuns(tid, limit),
    async settings(tid) {
      return (await directory.getSettings(tid))?.settings ?? null;
    },
    async saveSettings(actor: DirectoryActor, input: unknown) {
      const parsed = directorySettingsSchema(deps.extraOrigins).safeParse(input);
      if (!parsed.success) return { ok: false, issues: issuesOf(parsed.error) };
      await saveDirectorySettings(
        { directory, runs },
        actor.tid,
        actor.oid,
        parsed.data,
        deps.now(),
      );
      return { ok: true, settings: parsed.data };
    },
    syncNow: async (actor) =>
      deps.startSync
        ? deps.startSync(actor.tid)
        : { started: false, runId: null, unavailable: true },
  };
}
