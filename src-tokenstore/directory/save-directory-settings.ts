import type { DirectorySettings } from '../../src-shared/tokenstore/directory-api';
import type { DirectoryRepository } from './directory-repository';
import type { SyncRunRepository } from './sync-run-repository';

/**
 * Saves a tenant's directory settings (already parsed by `directorySettingsSchema`) for the API and
 * the admin console alike, and answers what they replaced, for the audit. Another org is another
 * directory: its change-tracking and paging links mean nothing there, so they are forgotten; a new
 * schedule counts from the last successful run.
 */
export async function saveDirectorySettings(
  deps: { readonly directory: DirectoryRepository; readonly runs: SyncRunRepository },
  tid: string,
  actor: string,
  settings: DirectorySettings,
  now: number,
): Promise<{ readonly before: DirectorySettings | null }> {
  const before = await deps.directory.getSettings(tid);
  await deps.directory.putSettings(tid, actor, settings, now);
  if (before && before.settings.orgUrl !== settings.orgUrl)
    await deps.runs.saveState(
      tid,
      {
        deltaLink: null,
        resumeLink: null,
        fullPass: null,
        teamsDeltaLink: null,
        membersDeltaLink: null,
        nextRunAt: null,
      },
      now,
    );
  else if (before && before.settings.everyHours !== settings.everyHours) {
    // A new schedule counts from the last successful run, not from the next run the old one set.
    const { lastSuccessAt } = await deps.runs.state(tid);
    if (lastSuccessAt !== null)
      await deps.runs.saveState(
        tid,
        { nextRunAt: lastSuccessAt + settings.everyHours * 3_600_000 },
        now,
      );
  }
  return { before: before?.settings ?? null };
}
