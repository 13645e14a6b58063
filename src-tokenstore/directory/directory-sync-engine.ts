import { randomUUID } from 'node:crypto';
import type { DirectorySettings } from '../../src-shared/tokenstore/directory-api';
import type { UpstreamSend } from '../auth/https-fetch';
import type { ClientCredentials } from './client-credentials';
import { DataverseReader, type ReaderLimits } from './dataverse-reader';
import type { ApplyCounts, DirectoryRepository, SyncedUser } from './directory-repository';
import {
  deltaEntry,
  mapMembership,
  mapSystemUser,
  mapTeam,
  MEMBERSHIP_SELECT,
  TEAM_SELECT,
  userSelect,
} from './map-directory-rows';
import type { RunKind, SyncRunRepository } from './sync-run-repository';
import { DeltaLinkExpired, SyncFailure } from './sync-failure';

/** What one run is given: its HTTP (counted per run), and a check that it still holds the lock. */
export interface RunContext {
  readonly send: UpstreamSend;
  /** Throws when the run lost its lock (another instance may have started): called between pages. */
  readonly stillHeld: () => Promise<void>;
  /** Running totals, kept current so a failed run still records what it changed. */
  readonly counts: ApplyCounts;
}

export interface DirectoryRunResult {
  readonly kind: RunKind;
  readonly note: string | null;
}

function add(into: ApplyCounts, counts: ApplyCounts): void {
  into.created += counts.created;
  into.updated += counts.updated;
  into.deactivated += counts.deactivated;
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads the directory from Dataverse into the repository. A plain service: its clock, HTTP and
 * repositories are handed in, and it knows nothing of locks or schedules (directory-sync-service.ts).
 *
 * - **Full**: pages through `systemusers` with `$select` of the mapped columns, `Prefer:
 *   odata.maxpagesize` and `odata.track-changes`, following `@odata.nextLink`; each page is applied
 *   in its own transaction and the next link saved, so a run that stops (timeout, throttling, a
 *   crash) is resumed by the next one. The last page's `@odata.deltaLink` starts the next delta;
 *   active users the read never saw are gone from Dynamics and become inactive.
 * - **Delta**: GETs the saved delta link; changed rows are applied, `$deletedEntity` entries make
 *   their users inactive, and the new delta link is saved only once every page is applied. A
 *   refused link (the token expired, 7 days by default) falls back to a full read
 *   (https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems).
 * - **Teams**: `teams` and `teammemberships` have delta links of their own (a membership change is
 *   not a `systemuser` change); a full run reads them whole. Dataverse keeps Entra group teams'
 *   memberships just-in-time, so they may lag Entra ID
 *   (https://learn.microsoft.com/power-apps/developer/data-platform/aad-group-team).
 */
export class DirectorySyncEngine {
  constructor(
    private readonly deps: {
      readonly directory: DirectoryRepository;
      readonly runs: SyncRunRepository;
      readonly tokens: ClientCredentials;
      readonly sleep: (ms: number) => Promise<void>;
      readonly now: () => number;
      readonly limits?: ReaderLimits;
    },
  ) {}

  #reader(settings: DirectorySettings, context: RunContext): DataverseReader {
    return new DataverseReader(settings, {
      send: context.send,
      tokens: this.deps.tokens,
      sleep: this.deps.sleep,
      now: this.deps.now,
      limits: this.deps.limits,
    });
  }

  /** A delta when a link is saved and no full read is half done; else (or when asked) a full read. */
  async syncDirectory(
    tid: string,
    settings: DirectorySettings,
    context: RunContext,
    options: { full?: boolean } = {},
  ): Promise<DirectoryRunResult> {
    const reader = this.#reader(settings, context);
    const state = await this.deps.runs.state(tid);
    let result: DirectoryRunResult | undefined;
    if (!options.full && state.deltaLink && !state.resumeLink) {
      try {
        await this.#delta(tid, settings, reader, state.deltaLink, context);
        result = { kind: 'delta', note: null };
      } catch (error) {
        if (!(error instanceof DeltaLinkExpired)) throw error;
        await this.deps.runs.saveState(tid, { deltaLink: null }, this.deps.now());
        result = {
          kind: 'full',
          note: `Dataverse refused the change-tracking link (HTTP ${error.status}; links expire after 7 days by default): everything was read again.`,
        };
      }
    }
    if (!result || result.kind === 'full') {
      const resumed = await this.#full(tid, settings, reader, context);
      result = {
        kind: 'full',
        note:
          [result?.note, resumed ? 'Resumed the paged read where the last run stopped.' : null]
            .filter(Boolean)
            .join(' ') || null,
      };
    }
    // After a users delta, teams and memberships are read by their own deltas too.
    if (settings.syncTeams) await this.#teams(tid, reader, context, result.kind === 'delta');
    return result;
  }

  /** One user, by systemuserid (a webhook) or Entra object id (the console). */
  async syncUser(
    tid: string,
    settings: DirectorySettings,
    target: { systemUserId: string } | { objectId: string },
    context: RunContext,
  ): Promise<void> {
    const reader = this.#reader(settings, context);
    const select = userSelect(settings.mapping);
    const id = 'systemUserId' in target ? target.systemUserId : target.objectId;
    // Ids reach a URL: only GUIDs, so nothing else can be spliced into the query.
    if (!guid.test(id))
      throw new SyncFailure('internal', 'A user sync was asked for an id that is not a GUID.');
    const now = this.deps.now();
    if ('systemUserId' in target) {
      const page = await reader.page(reader.url(`systemusers(${id})?$select=${select}`), {
        notFound: 'undefined',
      });
      const user = page?.rows[0] ? mapSystemUser(page.rows[0], settings.mapping) : undefined;
      if (user)
        add(context.counts, await this.deps.directory.applyUsers(tid, [user], undefined, now));
      else if (!page)
        context.counts.deactivated += await this.deps.directory.removeUsers(
          tid,
          [id.toLowerCase()],
          now,
        );
      return;
    }
    const page = await reader.page(
      reader.url(
        `systemusers?$select=${select}&$filter=${settings.mapping.objectId} eq ${id.toLowerCase()}`,
      ),
    );
    const users = (page?.rows ?? []).flatMap((row) => {
      const user = mapSystemUser(row, settings.mapping);
      return user ? [user] : [];
    });
    if (users.length > 0) {
      add(context.counts, await this.deps.directory.applyUsers(tid, users, undefined, now));
      return;
    }
    const known = await this.deps.directory.userByObjectId(tid, id);
    if (known)
      context.counts.deactivated += await this.deps.directory.removeUsers(
        tid,
        [known.systemUserId],
        now,
      );
  }

  /** Answers whether it resumed a read an earlier run left part-way. */
  async #full(
    tid: string,
    settings: DirectorySettings,
    reader: DataverseReader,
    context: RunContext,
  ): Promise<boolean> {
    const state = await this.deps.runs.state(tid);
    const resumed = Boolean(state.resumeLink && state.fullPass);
    const pass = resumed && state.fullPass ? state.fullPass : randomUUID();
    let url =
      resumed && state.resumeLink
        ? state.resumeLink
        : reader.url(`systemusers?$select=${userSelect(settings.mapping)}`);
    let deltaLink: string | undefined;
    for (;;) {
      await context.stillHeld();
      let page;
      try {
        page = await reader.page(url, { trackChanges: true });
      } catch (error) {
        // A saved paging link Dataverse no longer takes: start the read over.
        if (
          resumed &&
          url === state.resumeLink &&
          error instanceof SyncFailure &&
          error.code === 'upstream_failed'
        ) {
          await this.deps.runs.saveState(
            tid,
            { resumeLink: null, fullPass: null },
            this.deps.now(),
          );
          return this.#full(tid, settings, reader, context);
        }
        throw error;
      }
      if (!page) break;
      const users = page.rows.flatMap((row) => {
        const user = mapSystemUser(row, settings.mapping);
        return user ? [user] : [];
      });
      add(context.counts, await this.deps.directory.applyUsers(tid, users, pass, this.deps.now()));
      if (!page.nextLink) {
        deltaLink = page.deltaLink;
        break;
      }
      url = page.nextLink;
      await this.deps.runs.saveState(tid, { resumeLink: url, fullPass: pass }, this.deps.now());
    }
    context.counts.deactivated += await this.deps.directory.deactivateUnseen(
      tid,
      pass,
      this.deps.now(),
    );
    // No delta link (change tracking off for the table): the next run reads everything again.
    await this.deps.runs.saveState(
      tid,
      { deltaLink: deltaLink ?? null, resumeLink: null, fullPass: null },
      this.deps.now(),
    );
    return resumed;
  }

  async #delta(
    tid: string,
    settings: DirectorySettings,
    reader: DataverseReader,
    deltaLink: string,
    context: RunContext,
  ): Promise<void> {
    let url = deltaLink;
    let next: string | undefined;
    for (;;) {
      await context.stillHeld();
      const page = await reader.page(url, { trackChanges: true, delta: true });
      if (!page) break;
      const changed: SyncedUser[] = [];
      const deleted: string[] = [];
      for (const row of page.rows) {
        const entry = deltaEntry(row);
        if (entry.kind === 'deleted') deleted.push(entry.id.toLowerCase());
        else {
          const user = mapSystemUser(entry.row, settings.mapping);
          if (user) changed.push(user);
        }
      }
      const now = this.deps.now();
      add(context.counts, await this.deps.directory.applyUsers(tid, changed, undefined, now));
      context.counts.deactivated += await this.deps.directory.removeUsers(tid, deleted, now);
      if (!page.nextLink) {
        next = page.deltaLink;
        break;
      }
      url = page.nextLink;
    }
    // Saved only now: a run that stops part-way repeats the delta, and applying a change twice is harmless.
    await this.deps.runs.saveState(tid, { deltaLink: next ?? deltaLink }, this.deps.now());
  }

  /**
   * Teams and memberships: from their delta links when `delta` and both are saved (a refused link
   * means a whole read), else a whole read with change tracking that saves new links.
   */
  async #teams(
    tid: string,
    reader: DataverseReader,
    context: RunContext,
    delta: boolean,
  ): Promise<void> {
    const state = await this.deps.runs.state(tid);
    if (delta && state.teamsDeltaLink && state.membersDeltaLink) {
      try {
        const teamsLink = await this.#readAll(
          reader,
          state.teamsDeltaLink,
          true,
          context,
          async (rows) => {
            const deleted: string[] = [];
            const teams = rows.flatMap((row) => {
              const entry = deltaEntry(row);
              if (entry.kind === 'deleted') {
                deleted.push(entry.id.toLowerCase());
                return [];
              }
              const team = mapTeam(entry.row);
              return team ? [team] : [];
            });
            await this.deps.directory.applyTeams(tid, teams, undefined, this.deps.now());
            await this.deps.directory.removeTeams(tid, deleted);
          },
        );
        const membersLink = await this.#readAll(
          reader,
          state.membersDeltaLink,
          true,
          context,
          async (rows) => {
            const deleted: string[] = [];
            const pairs = rows.flatMap((row) => {
              const entry = deltaEntry(row);
              if (entry.kind === 'deleted') {
                deleted.push(entry.id.toLowerCase());
                return [];
              }
              const pair = mapMembership(entry.row);
              return pair ? [pair] : [];
            });
            await this.deps.directory.applyMemberships(tid, pairs, undefined);
            await this.deps.directory.removeMemberships(tid, deleted);
          },
        );
        await this.deps.runs.saveState(
          tid,
          { teamsDeltaLink: teamsLink ?? null, membersDeltaLink: membersLink ?? null },
          this.deps.now(),
        );
        return;
      } catch (error) {
        if (!(error instanceof DeltaLinkExpired)) throw error;
      }
    }
    const pass = randomUUID();
    const teamsLink = await this.#readAll(
      reader,
      reader.url(`teams?$select=${TEAM_SELECT}`),
      false,
      context,
      async (rows) => {
        const teams = rows.flatMap((row) => {
          const team = mapTeam(row);
          return team ? [team] : [];
        });
        await this.deps.directory.applyTeams(tid, teams, pass, this.deps.now());
      },
    );
    const membersLink = await this.#readAll(
      reader,
      reader.url(`teammemberships?$select=${MEMBERSHIP_SELECT}`),
      false,
      context,
      async (rows) => {
        const pairs = rows.flatMap((row) => {
          const pair = mapMembership(row);
          return pair ? [pair] : [];
        });
        await this.deps.directory.applyMemberships(tid, pairs, pass);
      },
    );
    await this.deps.directory.dropUnseenTeams(tid, pass);
    await this.deps.runs.saveState(
      tid,
      { teamsDeltaLink: teamsLink ?? null, membersDeltaLink: membersLink ?? null },
      this.deps.now(),
    );
  }

  /**
   * Reads a collection to its end with change tracking, handing each page's rows to `apply`;
   * answers the last page's delta link (none when the table does not track changes).
   */
  async #readAll(
    reader: DataverseReader,
    first: string,
    delta: boolean,
    context: RunContext,
    apply: (rows: readonly Record<string, unknown>[]) => Promise<void>,
  ): Promise<string | undefined> {
    for (let url: string | undefined = first; url;) {
      await context.stillHeld();
      const page = await reader.page(url, { trackChanges: true, delta });
      if (!page) return undefined;
      await apply(page.rows);
      if (!page.nextLink) return page.deltaLink;
      url = page.nextLink;
    }
    return undefined;
  }
}
