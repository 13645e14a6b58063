import type { Row } from '../data/sample-data';
import { DataverseError, queryError } from './dataverse-error';
import { pageAfter, type DirectoryTable, type DirectoryTables } from './directory-tables';
import type { EntityMetadata } from './entity-metadata';
import { nextLink, trackingVersionOf } from './paging-cookie';

/** An org's change tracking settings, the admin's to change. */
export interface ChangeTrackingKnobs {
  /** Track changes on the directory tables (systemuser, team, teammembership); on by default. */
  readonly enabled: boolean;
  /** The Organization table's ExpireChangeTrackingInDays: 7 by default. */
  readonly expireInDays: number;
  /**
   * How an expired delta token is answered. Learn says only that "the system throws an exception";
   * the message is the one clients report (https://github.com/MicrosoftDocs/powerapps-docs/issues/3845),
   * the status and code are the sandbox's, configurable so a client must not depend on them.
   */
  readonly expiredStatus: number;
  readonly expiredCode: string;
}

const defaults: ChangeTrackingKnobs = {
  enabled: true,
  expireInDays: 7,
  expiredStatus: 400,
  expiredCode: '0x80040203',
};

const DAY_MS = 24 * 3600 * 1000;
const pad = (value: number) => String(value).padStart(2, '0');

/** `919042!08/22/2017 08:10:44`: the version, then when the token was issued (UTC), as Learn's example shows. */
function formatToken(version: number, at: number): string {
  const date = new Date(at);
  return `${version}!${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

function parseToken(token: string): { version: number; issuedAt: number } | undefined {
  const match = /^(\d+)!(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(token);
  if (!match) return undefined;
  const [, version, month, day, year, hours, minutes, seconds] = match.map(Number) as number[];
  return {
    version: version as number,
    issuedAt: Date.UTC(
      year as number,
      (month as number) - 1,
      day as number,
      hours as number,
      minutes as number,
      seconds as number,
    ),
  };
}

/** What a tracked read needs from the request. */
export interface TrackedRead {
  readonly url: URL;
  readonly entity: EntityMetadata;
  readonly select: readonly string[] | undefined;
  readonly pageSize: number;
  readonly pageNumber: number;
  readonly skipAfter: string | undefined;
  readonly skipToken: string | null;
  readonly deltaToken: string | null;
  readonly shape: (row: Row) => Record<string, unknown>;
  readonly orgUrl: string;
  readonly contextSelect: string;
}

/**
 * Dataverse change tracking through the Web API
 * (https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems):
 * `Prefer: odata.track-changes` answers every row and, on the last page, an `@odata.deltaLink`
 * whose `$deltatoken` is `<version>!<issued>`; following it answers the rows created or updated
 * since (their current columns), then `$deletedEntity` entries, and a new delta link. `$filter`,
 * `$orderby`, `$expand` and `$top` are refused; tokens older than ExpireChangeTrackingInDays, or
 * issued before the admin expired them all, answer an error so the client syncs in full again.
 */
export class ChangeTracking {
  #knobs: ChangeTrackingKnobs = defaults;
  /** Tokens naming a version below this are expired (the admin's "expire every token now"). */
  #minimumVersion = 0;

  constructor(
    private readonly directory: DirectoryTables,
    private readonly now: () => number = Date.now,
  ) {}

  get knobs(): ChangeTrackingKnobs {
    return this.#knobs;
  }

  set(knobs: Partial<ChangeTrackingKnobs>): ChangeTrackingKnobs {
    this.#knobs = { ...this.#knobs, ...knobs };
    return this.#knobs;
  }

  /** Expires every delta token issued so far; tokens issued from now on work. */
  expireAll(): void {
    this.#minimumVersion = this.directory.advance();
  }

  tracks(table: string): boolean {
    return this.#knobs.enabled && ['systemuser', 'team', 'teammembership'].includes(table);
  }

  /** Refuses the query options change tracking does not take, with the documented message. */
  static refuseOptions(params: URLSearchParams): void {
    for (const option of ['$filter', '$orderby', '$expand', '$top'])
      if (params.has(option))
        throw queryError(
          `The "${option}" query parameter isn't supported when Change Tracking is enabled.`,
        );
  }

  /** The body of one page of a tracked read (initial or delta), and whether tracking was applied. */
  read(request: TrackedRead): Record<string, unknown> {
    ChangeTracking.refuseOptions(request.url.searchParams);
    const table = request.entity.logicalName as DirectoryTable;
    const snapshot = trackingVersionOf(request.skipToken) ?? this.directory.version;
    // Written as Learn's example writes it: the query options as sent, then `&$deltatoken=` with
    // the token escaped (`919042%2108%2f22%2f2017%2008%3a10%3a44`).
    const deltaLink = () => {
      const options = [...request.url.searchParams.entries()]
        .filter(([name]) => name !== '$deltatoken' && name !== '$skiptoken')
        .map(([name, value]) => `${name}=${encodeURIComponent(value).replace(/%2C/gi, ',')}`);
      const token = encodeURIComponent(formatToken(snapshot, this.now())).replace(/!/g, '%21');
      return `${request.url.origin}${request.url.pathname}?${[...options, `$deltatoken=${token}`].join('&')}`;
    };
    const context = `${request.orgUrl}/api/data/v9.2/$metadata#${request.entity.setName}${request.contextSelect}`;
    if (request.deltaToken === null) {
      if (request.skipToken !== null && request.skipAfter === undefined)
        throw queryError('The $skiptoken is not a valid paging cookie.');
      const { page, more } = pageAfter(
        this.directory.rows(table),
        request.entity.primaryKey,
        request.skipAfter,
        request.pageSize,
      );
      return {
        '@odata.context': context,
        ...(more
          ? {
              '@odata.nextLink': nextLink(
                request.url,
                request.entity,
                page,
                request.pageNumber,
                snapshot,
              ),
            }
          : { '@odata.deltaLink': deltaLink() }),
        value: page.map(request.shape),
      };
    }

    const since = this.check(request.deltaToken);
    const latest = new Map<string, { version: number; deleted: boolean }>();
    for (const change of this.directory.changesSince(since))
      if (change.table === table && change.version <= snapshot)
        latest.set(change.id, { version: change.version, deleted: change.kind === 'deleted' });
    const upserts: Row[] = [];
    const deletes: string[] = [];
    // New and updated rows first (by version), deletions after, as Learn describes.
    for (const [id, last] of [...latest.entries()].sort((a, b) => a[1].version - b[1].version)) {
      const row = last.deleted ? undefined : this.directory.find(table, id);
      if (row) upserts.push(row);
      else deletes.push(id);
    }
    const entries: Record<string, unknown>[] = [
      ...upserts.map(request.shape),
      ...deletes.map((id) => ({
        '@odata.context': `${request.orgUrl}/api/data/v9.2/$metadata#${request.entity.setName}/$deletedEntity`,
        id,
        reason: 'deleted',
      })),
    ];
    const start = (request.pageNumber - 1) * request.pageSize;
    const page = entries.slice(start, start + request.pageSize);
    const more = entries.length > start + request.pageSize;
    const body: Record<string, unknown> = { '@odata.context': `${context}/$delta` };
    if (more) {
      const next = new URL(request.url.toString());
      next.searchParams.set(
        '$skiptoken',
        `<cookie pagenumber="${request.pageNumber + 1}" istracking="True" trackingversion="${snapshot}" />`,
      );
      body['@odata.nextLink'] = next.toString();
    } else body['@odata.deltaLink'] = deltaLink();
    body.value = page;
    return body;
  }

  /** The number of changes a delta token would answer (`<set>/$count?$deltatoken=`). */
  count(table: string, deltaToken: string): number {
    const since = this.check(deltaToken);
    return new Set(
      this.directory
        .changesSince(since)
        .filter((change) => change.table === table)
        .map((change) => change.id),
    ).size;
  }

  /** The version a token names, or the error of an unknown or expired one. */
  private check(deltaToken: string): number {
    const parsed = parseToken(deltaToken);
    if (!parsed) throw queryError(`The $deltatoken '${deltaToken}' is not valid.`);
    if (
      parsed.version < this.#minimumVersion ||
      this.now() - parsed.issuedAt >= this.#knobs.expireInDays * DAY_MS
    )
      throw new DataverseError(
        this.#knobs.expiredStatus,
        this.#knobs.expiredCode,
        'Version stamp associated with the client has expired. Please perform a full sync.',
      );
    return parsed.version;
  }
}
