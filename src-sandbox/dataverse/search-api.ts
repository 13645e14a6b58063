import type { Row } from '../data/sample-data';
import { DataverseError } from './dataverse-error';
import { entityByLogicalName } from './entity-metadata';
import type { RowShaper } from './row-shaper';

/** The tables relevance search covers, and the columns it searches and returns by default. */
const searchable: Record<
  string,
  { readonly search: readonly string[]; readonly select: readonly string[] }
> = {
  account: {
    search: ['name', 'accountnumber', 'emailaddress1'],
    select: ['name', 'address1_city', 'telephone1'],
  },
  contact: {
    search: ['fullname', 'emailaddress1'],
    select: ['fullname', 'emailaddress1', '_parentcustomerid_value'],
  },
  lead: {
    search: ['fullname', 'companyname', 'subject', 'emailaddress1'],
    select: ['fullname', 'companyname', 'subject'],
  },
  opportunity: { search: ['name'], select: ['name', 'estimatedvalue', '_customerid_value'] },
};

interface SearchEntityRequest {
  readonly name: string;
  readonly selectColumns?: readonly string[];
}

/** Reads the `entities` parameter: a JSON string (Web API form) with keys in either case (https://learn.microsoft.com/power-apps/developer/data-platform/search/query). */
function parseEntities(raw: unknown): SearchEntityRequest[] {
  if (raw === undefined || raw === null) return Object.keys(searchable).map((name) => ({ name }));
  const list: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
  if (!Array.isArray(list))
    throw new DataverseError(400, '0x80048d04', 'The entities parameter must be a JSON array.');
  return list.map((item: unknown) => {
    if (typeof item === 'string') return { name: item };
    const record = Object.fromEntries(
      Object.entries(item as Record<string, unknown>).map(([key, value]) => [
        key.toLowerCase(),
        value,
      ]),
    );
    return {
      name: String(record.name ?? ''),
      selectColumns: Array.isArray(record.selectcolumns)
        ? (record.selectcolumns as string[])
        : undefined,
    };
  });
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Relevance search over the four sales tables: every term must match a word start in a searched
 * column; exact and prefix matches of the whole primary name score higher. Highlights use
 * `{crmhit}`. Answers the Web API shape: `{"response": "<JSON string>"}` (https://learn.microsoft.com/power-apps/developer/data-platform/search/query).
 */
export function runSearch(
  body: Record<string, unknown>,
  visible: (table: string) => readonly Row[],
  shaper: RowShaper,
  orgUrl: string,
  /** Rows that may match, from an index (search-index.ts); undefined = scan `visible`. */
  candidates?: (
    table: string,
    columns: readonly string[],
    terms: readonly string[],
  ) => Iterable<Row> | undefined,
): Record<string, unknown> {
  const text = typeof body.search === 'string' ? body.search.trim() : '';
  if (text.length < 1 || text.length > 100)
    throw new DataverseError(
      400,
      '0x80048d04',
      'The search parameter must be between 1 and 100 characters.',
    );
  const top = Math.min(typeof body.top === 'number' ? body.top : 50, 100);
  const skip = typeof body.skip === 'number' ? body.skip : 0;
  const terms = text
    .replace(/[+\-&|!(){}[\]^"~*?:\\/]/g, ' ')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean);
  const hits: { row: Row; table: string; score: number; highlights: Record<string, string[]> }[] =
    [];
  for (const request of parseEntities(body.entities)) {
    const config = searchable[request.name];
    const entity = entityByLogicalName(request.name);
    if (!config || !entity)
      throw new DataverseError(
        400,
        '0x80048d04',
        `Entity '${request.name}' is not enabled for search.`,
      );
    const patterns = terms.map((term) => new RegExp(`(^|[\\s'’(-])${escapeRegExp(term)}`, 'iu'));
    for (const row of candidates?.(request.name, config.search, terms) ?? visible(request.name)) {
      const highlights: Record<string, string[]> = {};
      let matched = 0;
      for (const pattern of patterns) {
        const column = config.search.find(
          (name) => typeof row[name] === 'string' && pattern.test(row[name] as string),
        );
        if (!column) break;
        matched += 1;
        highlights[column] = [
          String(row[column]).replace(
            new RegExp(`(${escapeRegExp(terms[patterns.indexOf(pattern)] ?? '')})`, 'iu'),
            '{crmhit}$1{/crmhit}',
          ),
        ];
      }
      if (matched !== patterns.length) continue;
      const name = String(row[entity.primaryName] ?? '').toLowerCase();
      const score =
        (name === text.toLowerCase() ? 10 : name.startsWith(text.toLowerCase()) ? 6 : 3) +
        1 / (1 + name.length / 40);
      hits.push({ row, table: request.name, score, highlights });
    }
  }
  hits.sort((a, b) => b.score - a.score);
  const page = hits.slice(skip, skip + top);
  const value = page.map(({ row, table, score, highlights }) => {
    const entity = entityByLogicalName(table);
    if (!entity) throw new Error('unreachable');
    const select =
      parseEntities(body.entities).find((item) => item.name === table)?.selectColumns ??
      searchable[table]?.select ??
      [];
    const attributes: Record<string, unknown> = { '@search.objecttypecode': entity.objectTypeCode };
    for (const column of select) {
      if (!(column in entity.columns)) continue;
      attributes[column] = row[column] ?? null;
      const label =
        row[column] !== null && row[column] !== undefined
          ? shaper.formatted(entity, row, column, row[column])
          : undefined;
      if (label !== undefined)
        attributes[`${column}@OData.Community.Display.V1.FormattedValue`] = label;
    }
    return {
      Id: String(row[entity.primaryKey]),
      EntityName: table,
      ObjectTypeCode: 0,
      Attributes: attributes,
      Highlights: highlights,
      Score: Number(score.toFixed(5)),
    };
  });
  const response = {
    Error: null,
    Value: value,
    Facets: {},
    QueryContext: null,
    Count: body.count === true ? hits.length : -1,
  };
  return {
    '@odata.context': `${orgUrl}/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.searchqueryResponse`,
    response: JSON.stringify(response),
  };
}

/** Which of Dataverse search's limits turned a request away, and for how many seconds. */
export interface SearchRefusal {
  readonly limit: 'per-user' | 'per-org';
  readonly retryAfterSec: number;
}

/**
 * Dataverse search's own limits: one request per second per user and, for the whole org, 150
 * requests per minute (`orgPerMinute`), each answered 429 with Retry-After in seconds
 * (https://learn.microsoft.com/power-apps/developer/data-platform/search/overview#service-protection-limits).
 * Measured when the request arrives; a refused request does not count towards either limit.
 */
export class SearchLimiter {
  readonly #lastByUser = new Map<string, number>();
  #orgWindow: number[] = [];

  /** Answers the limit that refuses the request, or undefined when it may go ahead (and counts it). */
  admit(user: string, orgPerMinute = 150, now = Date.now()): SearchRefusal | undefined {
    const last = this.#lastByUser.get(user);
    if (last !== undefined && now - last < 1000)
      return {
        limit: 'per-user',
        retryAfterSec: Math.max(1, Math.ceil((1000 - (now - last)) / 1000)),
      };
    this.#orgWindow = this.#orgWindow.filter((at) => now - at < 60_000);
    if (this.#orgWindow.length >= orgPerMinute) {
      // The window frees a slot when its oldest request turns a minute old.
      const oldest = this.#orgWindow[this.#orgWindow.length - orgPerMinute] ?? now;
      return {
        limit: 'per-org',
        retryAfterSec: Math.max(1, Math.ceil((60_000 - (now - oldest)) / 1000)),
      };
    }
    this.#lastByUser.set(user, now);
    this.#orgWindow.push(now);
    return undefined;
  }
}
