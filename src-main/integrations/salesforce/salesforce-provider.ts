import { createHmac, randomBytes } from 'node:crypto';
import type { SearchResult } from '../../../src-shared/domain/search';
import { healthFromError, type ISearchProvider } from '../search-provider';
import type { SalesforceApi } from './salesforce-api';
import { isSearchObject, sfRecordSchema, toSearchResult } from './map-salesforce';
import { buildSearchSosl } from './sosl';

/** Rows one search asks for, spread by SOSL over the four objects. */
const SEARCH_ROWS = 20;

/**
 * Searches one Salesforce org live: one SOSL request per query across leads, contacts, accounts
 * and opportunities, the typed text escaped. Text too short to search answers nothing without a
 * request. Record ids stay in main: results carry an opaque HMAC id namespaced by the connection.
 */
export class SalesforceProvider implements ISearchProvider {
  readonly id: string;
  readonly label: string;
  readonly #idKey = randomBytes(32);

  constructor(
    private readonly api: SalesforceApi,
    private readonly instanceUrl: string,
    source: { readonly id: string; readonly label: string },
    private readonly now: () => number = Date.now,
  ) {
    this.id = source.id;
    this.label = source.label;
  }

  async health(options: { readonly signal: AbortSignal }) {
    try {
      await this.api.ping(options.signal);
      return { state: 'ok' as const };
    } catch (error) {
      return healthFromError(error);
    }
  }

  async search(
    text: string,
    options: { readonly signal: AbortSignal },
  ): Promise<readonly SearchResult[]> {
    const sosl = buildSearchSosl(text, SEARCH_ROWS);
    if (sosl === undefined) return [];
    const fetchedAt = this.now();
    const records = await this.api.search(sosl, options.signal);
    // SOSL lists objects in RETURNING order and ranks records within each object by relevance.
    const positions = new Map<string, number>();
    return records.flatMap((raw) => {
      const parsed = sfRecordSchema.safeParse(raw);
      if (!parsed.success || !isSearchObject(parsed.data.attributes.type)) return [];
      const record = parsed.data as typeof parsed.data & {
        attributes: { type: 'Lead' | 'Contact' | 'Account' | 'Opportunity' };
      };
      const position = positions.get(record.attributes.type) ?? 0;
      positions.set(record.attributes.type, position + 1);
      return [
        toSearchResult({
          id: this.#opaqueId(record.attributes.type, record.Id),
          record,
          instanceUrl: this.instanceUrl,
          source: this.id,
          score: 1 / (1 + position),
          fetchedAt,
        }),
      ];
    });
  }

  #opaqueId(type: string, recordId: string): string {
    // The 18-character id is case-insensitive; its first 15 characters are the case-sensitive id.
    return `${this.id}:${createHmac('sha256', this.#idKey)
      .update(`${type}|${recordId.slice(0, 15)}`)
      .digest('base64url')
      .slice(0, 22)}`;
  }
}
