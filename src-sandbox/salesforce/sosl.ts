import { SalesforceError, statementError } from './salesforce-error';
import type { SfRecord } from './salesforce-org';
import { matchesSearch, parseSearchTerm, tokensOf, type SearchNode } from './search-term';
import {
  bindField,
  compileCondition,
  compileOrder,
  dedupe,
  recordsOf,
  shapeRecord,
  type BoundField,
  type QueryContext,
  type ShapedRecord,
} from './soql-engine';
import { StatementParser } from './soql-parser';
import { sobjectByName, sobjects, type SObjectMetadata } from './sobjects';

/** The most rows one search answers, and the default (API v28.0+, "LIMIT n"). */
export const MAX_SEARCH_ROWS = 2000;

type SearchGroup = 'ALL' | 'NAME' | 'EMAIL' | 'PHONE' | 'SIDEBAR';

/** One `Object(fields WHERE ... ORDER BY ... LIMIT n OFFSET n)` of RETURNING. */
interface ReturningSpec {
  readonly sobject: SObjectMetadata;
  readonly fields: readonly BoundField[];
  readonly where?: (record: SfRecord) => boolean;
  readonly order?: (a: SfRecord, b: SfRecord) => number;
  readonly limit?: number;
  readonly offset?: number;
}

/** A parsed SOSL statement ready to run. */
export interface SearchPlan {
  readonly term: SearchNode;
  readonly group: SearchGroup;
  readonly specs: readonly ReturningSpec[];
  readonly limit: number;
}

const malformed = (statement: string, offset: number, reason: string) =>
  statementError(400, 'MALFORMED_SEARCH', statement, offset, reason);
const noTerm = () =>
  new SalesforceError(
    400,
    'MALFORMED_SEARCH',
    'No search term found. The search term must be enclosed in braces.',
  );

/**
 * Parses `FIND {term} [IN <group> FIELDS] [RETURNING Object[(fields [WHERE] [ORDER BY] [LIMIT]
 * [OFFSET])], ...] [LIMIT n]` ("SOSL Syntax",
 * https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-sosl-syntax.html).
 */
export function parseSosl(statement: string, context: QueryContext): SearchPlan {
  const head = /^\s*FIND\s*/i.exec(statement);
  if (!head)
    throw malformed(
      statement,
      statement.search(/\S|$/),
      `unexpected token: '${statement.trim().split(/\s+/)[0] ?? ''}'`,
    );
  const open = head[0].length;
  if (statement[open] !== '{') throw noTerm();
  let close = open + 1;
  while (close < statement.length && statement[close] !== '}')
    close += statement[close] === '\\' ? 2 : 1;
  if (close >= statement.length) throw noTerm();
  const term = parseSearchTerm(statement.slice(open + 1, close), (offset, reason) =>
    malformed(statement, open + 1 + offset, reason),
  );

  const parser = new StatementParser(statement, 'MALFORMED_SEARCH', close + 1);
  let group: SearchGroup = 'ALL';
  if (parser.acceptKeyword('IN')) {
    const token = parser.next();
    const name = token.text.toUpperCase();
    if (!['ALL', 'NAME', 'EMAIL', 'PHONE', 'SIDEBAR'].includes(name)) throw parser.fail(token);
    parser.expectKeyword('FIELDS');
    group = name as SearchGroup;
  }
  const specs: ReturningSpec[] = [];
  if (parser.acceptKeyword('RETURNING')) {
    do {
      if (specs.length > 0) parser.next();
      const token = parser.next();
      if (token.kind !== 'ident') throw parser.fail(token);
      const sobject = sobjectByName(token.text);
      if (!sobject)
        throw statementError(
          400,
          'INVALID_TYPE',
          statement,
          token.offset,
          `sObject type '${token.text}' is not supported.`,
        );
      if (!parser.isSymbol('(')) {
        specs.push({ sobject, fields: [] });
        continue;
      }
      parser.next();
      const fields = dedupe(parser.fieldList().map((path) => bindField(sobject, path, statement)));
      const where = parser.acceptKeyword('WHERE')
        ? compileCondition(parser.condition(), sobject, context, statement)
        : undefined;
      const order = parser.acceptKeyword('ORDER', 'BY')
        ? compileOrder(parser.orderBy(), sobject, context, statement)
        : undefined;
      const limit = parser.acceptKeyword('LIMIT') ? parser.integer() : undefined;
      const offset = parser.acceptKeyword('OFFSET') ? parser.integer() : undefined;
      parser.expectSymbol(')');
      specs.push({ sobject, fields, where, order, limit, offset });
    } while (parser.isSymbol(','));
  }
  const limit = parser.acceptKeyword('LIMIT') ? parser.integer() : MAX_SEARCH_ROWS;
  const end = parser.peek();
  if (end.kind !== 'eof') throw parser.fail(end);
  // Without RETURNING, every searchable object answers its ids.
  const all =
    specs.length > 0
      ? specs
      : sobjects
          .filter((candidate) => candidate.searchable)
          .map((sobject) => ({ sobject, fields: [] }));
  return { term, group, specs: all, limit: Math.min(limit, MAX_SEARCH_ROWS) };
}

/** The text fields a search group covers on one object. */
function searchedFields(sobject: SObjectMetadata, group: SearchGroup): string[] {
  if (group === 'NAME') return [sobject.nameField];
  const types =
    group === 'EMAIL'
      ? ['email']
      : group === 'PHONE'
        ? ['phone']
        : ['string', 'textarea', 'email', 'phone', 'url'];
  return sobject.fields.filter((field) => types.includes(field.type)).map((field) => field.name);
}

/**
 * Runs a search: each RETURNING object in the order listed, records ranked (name matches first),
 * each object's LIMIT, then the overall LIMIT spread evenly over the objects ("RETURNING
 * FieldSpec", https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-sosl-returning.html;
 * "LIMIT n", https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_sosl_limit.htm).
 */
export function runSearch(plan: SearchPlan, context: QueryContext): ShapedRecord[] {
  const lists = plan.specs.map((spec) => {
    const fields = searchedFields(spec.sobject, plan.group);
    const scored = recordsOf(context.org, spec.sobject.name)
      .filter((record) => record.IsDeleted !== true && (spec.where?.(record) ?? true))
      .map((record) => ({
        record,
        texts: fields.map((field) =>
          tokensOf(typeof record[field] === 'string' ? (record[field] as string) : ''),
        ),
      }))
      .filter(({ texts }) => matchesSearch(plan.term, texts))
      .map(({ record }) => ({
        record,
        nameHit: matchesSearch(plan.term, [tokensOf(String(record[spec.sobject.nameField] ?? ''))]),
      }));
    const relevance = (a: (typeof scored)[number], b: (typeof scored)[number]) =>
      Number(b.nameHit) - Number(a.nameHit) ||
      String(a.record[spec.sobject.nameField] ?? '').localeCompare(
        String(b.record[spec.sobject.nameField] ?? ''),
        'en',
      ) ||
      a.record.Id.localeCompare(b.record.Id);
    const sorted = spec.order
      ? scored.map(({ record }) => record).sort(spec.order)
      : scored.sort(relevance).map(({ record }) => record);
    const start = spec.offset ?? 0;
    return sorted.slice(start, spec.limit === undefined ? undefined : start + spec.limit);
  });
  const taken = allocate(
    lists.map((list) => list.length),
    plan.limit,
  );
  return plan.specs.flatMap((spec, index) =>
    (lists[index] ?? [])
      .slice(0, taken[index])
      .map((record) =>
        shapeRecord(
          spec.sobject.name,
          record,
          spec.fields.length > 0
            ? spec.fields
            : [bindField(spec.sobject, { parts: ['Id'], offset: 0 }, '')],
          context,
        ),
      ),
  );
}

/** Splits `limit` rows evenly over lists of the given sizes, passing what a short list leaves to the others. */
function allocate(sizes: readonly number[], limit: number): number[] {
  const taken = sizes.map(() => 0);
  let remaining = limit;
  for (;;) {
    const open = sizes
      .map((size, index) => index)
      .filter((index) => (taken[index] ?? 0) < (sizes[index] ?? 0));
    if (open.length === 0 || remaining <= 0) return taken;
    const share = Math.floor(remaining / open.length);
    for (const index of share === 0 ? open.slice(0, remaining) : open) {
      const give = Math.min(share || 1, (sizes[index] ?? 0) - (taken[index] ?? 0));
      taken[index] = (taken[index] ?? 0) + give;
      remaining -= give;
    }
  }
}

/** Parameters of a parameterized search, from the query string (GET) or the JSON body (POST). */
export interface ParameterizedSearch {
  readonly q: string;
  readonly in?: string;
  readonly fields?: readonly string[];
  readonly sobjects?: readonly {
    readonly name: string;
    readonly fields?: readonly string[];
    readonly limit?: number;
    readonly where?: string;
  }[];
  readonly overallLimit?: number;
  readonly defaultLimit?: number;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/**
 * A parameterized search as the SOSL statement it stands for: `q` is the search query of FIND
 * (SOSL clauses are not allowed in it, so its braces and other reserved characters fail like any
 * unescaped reserved character) ("Search with Parameters in the URI",
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_search_parameterized_get.htm).
 */
export function parameterizedToSosl(search: ParameterizedSearch): string {
  const group = (search.in ?? 'ALL').toUpperCase();
  if (!['ALL', 'NAME', 'EMAIL', 'PHONE', 'SIDEBAR'].includes(group))
    throw new SalesforceError(
      400,
      'INVALID_SEARCH_SCOPE',
      `Invalid value for the 'in' parameter: ${search.in ?? ''}. Use ALL, NAME, EMAIL, PHONE or SIDEBAR.`,
    );
  const limit = (value: number | undefined, name: string) => {
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || value < 0 || value > MAX_SEARCH_ROWS)
      throw new SalesforceError(
        400,
        'INVALID_SEARCH_LIMIT',
        `${name} must be an integer from 0 to ${MAX_SEARCH_ROWS}.`,
      );
    return value;
  };
  const defaultLimit = limit(search.defaultLimit, 'defaultLimit');
  const objects = search.sobjects ?? [];
  const specs = objects.map((entry) => {
    if (!IDENT.test(entry.name) || !sobjectByName(entry.name))
      throw new SalesforceError(
        400,
        'INVALID_TYPE',
        `sObject type '${entry.name}' is not supported.`,
      );
    const fields = entry.fields ?? search.fields ?? ['Id'];
    const bad = fields.find((name) => !IDENT.test(name.trim()));
    if (bad !== undefined)
      throw new SalesforceError(
        400,
        'INVALID_FIELD',
        `No such column '${bad}' on entity '${entry.name}'.`,
      );
    const perObject = limit(entry.limit, `${entry.name}.limit`) ?? defaultLimit;
    return `${entry.name}(${fields.map((name) => name.trim()).join(', ')}${entry.where ? ` WHERE ${entry.where}` : ''}${perObject === undefined ? '' : ` LIMIT ${perObject}`})`;
  });
  const overall = limit(search.overallLimit, 'overallLimit');
  return `FIND {${search.q}} IN ${group} FIELDS${specs.length > 0 ? ` RETURNING ${specs.join(', ')}` : ''}${overall === undefined ? '' : ` LIMIT ${overall}`}`;
}
