import { createHmac, randomBytes } from 'node:crypto';
import type { SearchResult } from '../../../src-shared/domain/search';
import { healthFromError, type ISearchProvider } from '../search-provider';
import { MinIntervalGate } from '../min-interval-gate';
import { searchEntities } from './dynamics-entities';
import { SearchDisabled, type DynamicsApi, type SearchHit } from './dynamics-api';
import { toSearchResult } from './map-dynamics';

const PER_TABLE = 8;

/** What the status chip says when Dataverse search was busy and the fallback answered. */
export const SEARCH_BUSY_NOTICE = 'Dataverse search is busy; showing a simpler search.';

/**
 * Searches Dynamics 365 live: Dataverse search when the org has it (one relevance-ranked request
 * for the four tables, at most 1 per second per user), else one OData `contains` request per table
 * in parallel: for good once Dataverse says search is disabled (remembered), and for a while when
 * search answers 429 (its per-user or per-org limit): that query and the ones until Retry-After
 * go through the Web API, whose service protection budget is separate
 * (https://learn.microsoft.com/power-apps/developer/data-platform/api-limits), and the answer says
 * so. Record GUIDs stay in main: results carry an opaque HMAC id.
 */
export class DynamicsProvider implements ISearchProvider {
  readonly id: string;
  readonly label: string;
  /**
   * Dataverse search takes a search term of at most 100 characters
   * (https://learn.microsoft.com/power-apps/developer/data-platform/search/query#search-parameter).
   */
  readonly maxQueryLength = 100;
  #searchDisabled = false;
  readonly #idKey = randomBytes(32);
  readonly #gate: MinIntervalGate;

  constructor(
    private readonly api: DynamicsApi,
    private readonly orgUrl: string,
    /** The connection: chips and result ids are namespaced by it. */
    source: { readonly id: string; readonly label: string } = {
      id: 'dynamics',
      label: 'Dynamics 365',
    },
    private readonly now: () => number = Date.now,
    gate?: MinIntervalGate,
  ) {
    this.id = source.id;
    this.label = source.label;
    // 1 request/s per user, measured by Dataverse on arrival: the gate spaces from the answers.
    this.#gate = gate ?? new MinIntervalGate(1000, now);
  }

  /** Whether the fallback is in use (the org has Dataverse search switched off). */
  get usesFallback(): boolean {
    return this.#searchDisabled;
  }

  async health(options: { readonly signal: AbortSignal }) {
    try {
      await this.api.whoAmI(options.signal);
      return { state: 'ok' as const };
    } catch (error) {
      return healthFromError(error);
    }
  }

  async search(
    text: string,
    options: { readonly signal: AbortSignal; readonly onNotice?: (notice: string) => void },
  ): Promise<readonly SearchResult[]> {
    const fetchedAt = this.now();
    if (!this.#searchDisabled) {
      const release = await this.#gate.acquire(options.signal);
      // Undefined: search said busy and its Retry-After has not passed; the fallback answers.
      if (!release) return this.#busyFallback(text, fetchedAt, options);
      try {
        const hits = await this.api.search(text, searchEntities, 20, options.signal);
        return this.#fromHits(hits, fetchedAt);
      } catch (error) {
        if ((error as { code?: string }).code === 'throttled') {
          this.#gate.defer((error as { retryAt?: number }).retryAt ?? this.now() + 5000);
          return this.#busyFallback(text, fetchedAt, options);
        }
        if (!(error instanceof SearchDisabled)) throw error;
        this.#searchDisabled = true;
      } finally {
        release();
      }
    }
    return this.#fallback(text, fetchedAt, options.signal);
  }

  async #busyFallback(
    text: string,
    fetchedAt: number,
    options: { readonly signal: AbortSignal; readonly onNotice?: (notice: string) => void },
  ): Promise<SearchResult[]> {
    const results = await this.#fallback(text, fetchedAt, options.signal);
    options.onNotice?.(SEARCH_BUSY_NOTICE);
    return results;
  }

  #fromHits(hits: readonly SearchHit[], fetchedAt: number): SearchResult[] {
    return hits.flatMap((hit) => {
      const entity = searchEntities.find((candidate) => candidate.logicalName === hit.EntityName);
      return entity
        ? [
            toSearchResult({
              id: this.#opaqueId(entity.logicalName, hit.Id),
              entity: entity.logicalName,
              recordId: hit.Id,
              attributes: hit.Attributes,
              orgUrl: this.orgUrl,
              source: this.id,
              score: hit.Score ?? 0,
              fetchedAt,
            }),
          ]
        : [];
    });
  }

  /** One OData `contains` request per table, in parallel. */
  async #fallback(text: string, fetchedAt: number, signal: AbortSignal): Promise<SearchResult[]> {
    const tables = await Promise.all(
      searchEntities.map(async (entity) => ({
        entity,
        rows: await this.api.searchTable(entity, text, PER_TABLE, signal),
      })),
    );
    return tables.flatMap(({ entity, rows }) =>
      rows.map((row) => {
        const recordId = String(row[entity.primaryKey]);
        return toSearchResult({
          id: this.#opaqueId(entity.logicalName, recordId),
          entity: entity.logicalName,
          recordId,
          attributes: row,
          orgUrl: this.orgUrl,
          source: this.id,
          score: 0,
          fetchedAt,
        });
      }),
    );
  }

  #opaqueId(entity: string, recordId: string): string {
    return `${this.id}:${createHmac('sha256', this.#idKey).update(`${entity}|${recordId.toLowerCase()}`).digest('base64url').slice(0, 22)}`;
  }
}
