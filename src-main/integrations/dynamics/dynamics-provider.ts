import { createHmac, randomBytes } from 'node:crypto';
import type { SearchResult } from '../../../src-shared/domain/search';
import { healthFromError, type ISearchProvider } from '../search-provider';
import { MinIntervalGate } from '../min-interval-gate';
import { searchEntities } from './dynamics-entities';
import { SearchDisabled, type DynamicsApi } from './dynamics-api';
import { toSearchResult } from './map-dynamics';

const PER_TABLE = 8;

/**
 * Searches Dynamics 365 live: Dataverse search when the org has it (one relevance-ranked request
 * for the four tables, at most 1 per second), else, once Dataverse says it is disabled (remembered),
 * one OData `contains` request per table in parallel. Record GUIDs stay in main: results carry an
 * opaque HMAC id.
 */
export class DynamicsProvider implements ISearchProvider {
  readonly id: string;
  readonly label: string;
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
    // 1 request/s is measured at Dataverse on arrival; a margin absorbs network jitter.
    this.#gate = gate ?? new MinIntervalGate(1100, now);
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
    options: { readonly signal: AbortSignal },
  ): Promise<readonly SearchResult[]> {
    const fetchedAt = this.now();
    if (!this.#searchDisabled) {
      try {
        await this.#gate.wait(options.signal);
        const hits = await this.api.search(text, searchEntities, 20, options.signal);
        return hits.flatMap((hit) => {
          const entity = searchEntities.find(
            (candidate) => candidate.logicalName === hit.EntityName,
          );
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
      } catch (error) {
        if (!(error instanceof SearchDisabled)) {
          const retryAt =
            (error as { code?: string; retryAt?: number }).code === 'throttled'
              ? (error as { retryAt?: number }).retryAt
              : undefined;
          if (retryAt) this.#gate.defer(retryAt);
          throw error;
        }
        this.#searchDisabled = true;
      }
    }
    const tables = await Promise.all(
      searchEntities.map(async (entity) => ({
        entity,
        rows: await this.api.searchTable(entity, text, PER_TABLE, options.signal),
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
