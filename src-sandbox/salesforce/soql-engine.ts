import { statementError } from './salesforce-error';
import { normalizeId } from './salesforce-ids';
import type { SalesforceOrg, SalesforceUser, SfRecord } from './salesforce-org';
import {
  parseSoql,
  type Condition,
  type FieldPath,
  type Literal,
  type OrderItem,
} from './soql-parser';
import {
  fieldOf,
  nameObjectFields,
  relationshipOf,
  sobjectByName,
  type FieldMetadata,
  type SObjectMetadata,
  type SObjectName,
} from './sobjects';

/** Who runs a statement, against which org, and the API version the answer's URLs carry. */
export interface QueryContext {
  readonly org: SalesforceOrg;
  readonly user: SalesforceUser;
  readonly now: number;
  readonly version: string;
}

/** A field path checked against the object: the field read and, for `Rel.Field`, the lookup crossed. */
export interface BoundField {
  readonly field: FieldMetadata;
  readonly lookup?: FieldMetadata;
}

/** A shaped record as the REST API answers it: `attributes` first, then the selected fields. */
export type ShapedRecord = Record<string, unknown>;

const DAY = 24 * 3600 * 1000;
const invalidField = (statement: string, offset: number, reason: string) =>
  statementError(400, 'INVALID_FIELD', statement, offset, reason);

/** Checks `path` against `sobject`: plain fields and one level of relationship (`Account.Name`, `What.Name`). */
export function bindField(
  sobject: SObjectMetadata,
  path: FieldPath,
  statement: string,
): BoundField {
  const [first = '', second, ...deeper] = path.parts;
  if (second === undefined) {
    const field = fieldOf(sobject.fields, first);
    if (!field)
      throw invalidField(
        statement,
        path.offset,
        `No such column '${first}' on entity '${sobject.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    return { field };
  }
  const lookup = relationshipOf(sobject, first);
  if (!lookup?.reference || deeper.length > 0)
    throw invalidField(
      statement,
      path.offset,
      `Didn't understand relationship '${first}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  const targetName = lookup.reference.polymorphic
    ? 'Name'
    : (lookup.reference.to[0] as SObjectName);
  const field = fieldOf(
    lookup.reference.polymorphic ? nameObjectFields : (sobjectByName(targetName)?.fields ?? []),
    second,
  );
  if (!field)
    throw invalidField(
      statement,
      path.offset + first.length + 1,
      `No such column '${second}' on entity '${targetName}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  return { field, lookup };
}

/** The value of a bound field on one record (null when a lookup is empty). */
export function valueOf(record: SfRecord, bound: BoundField, org: SalesforceOrg): unknown {
  if (!bound.lookup) return record[bound.field.name] ?? null;
  const target =
    typeof record[bound.lookup.name] === 'string'
      ? org.byId.get(record[bound.lookup.name] as string)
      : undefined;
  if (!target) return null;
  if (bound.lookup.reference?.polymorphic && bound.field.name === 'Type') return target.type;
  return target.record[bound.field.name] ?? null;
}

/** Today in the user's time zone: date literals follow the querying user's locale. */
function localDate(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(ms);
}
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const toMillis = (value: string) => Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));

/**
 * The day range a date literal names, in the user's time zone ("Date Formats and Date Literals",
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm).
 */
function dateRange(
  literal: Extract<Literal, { kind: 'dateLiteral' }>,
  context: QueryContext,
): [string, string] {
  const today = localDate(context.now, context.user.TimeZoneSidKey);
  switch (literal.name) {
    case 'YESTERDAY':
      return [addDays(today, -1), addDays(today, -1)];
    case 'TOMORROW':
      return [addDays(today, 1), addDays(today, 1)];
    case 'LAST_N_DAYS':
      return [addDays(today, -literal.n), today];
    case 'NEXT_N_DAYS':
      return [addDays(today, 1), addDays(today, literal.n)];
    case 'N_DAYS_AGO':
      return [addDays(today, -literal.n), addDays(today, -literal.n)];
    default:
      return [today, today];
  }
}

const stringTypes = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist']);

/** The comparable form of a value of `field`'s type: upper-cased text (comparisons ignore case), 18-character ids. */
function comparable(field: FieldMetadata, value: unknown, context: QueryContext): unknown {
  if (value === null || value === undefined) return null;
  if (field.type === 'id' || field.type === 'reference')
    return normalizeId(String(value)) ?? String(value);
  if (field.type === 'datetime')
    return localDate(toMillis(String(value)), context.user.TimeZoneSidKey);
  if (typeof value === 'string') return value.toUpperCase();
  return value;
}

const order = (a: unknown, b: unknown): number =>
  a === b ? 0 : (a as number) < (b as number) ? -1 : 1;

/** Compiles a WHERE condition into a predicate, checking each value's type against its field. */
export function compileCondition(
  condition: Condition,
  sobject: SObjectMetadata,
  context: QueryContext,
  statement: string,
): (record: SfRecord) => boolean {
  if (condition.kind === 'and' || condition.kind === 'or') {
    const items = condition.items.map((item) =>
      compileCondition(item, sobject, context, statement),
    );
    return condition.kind === 'and'
      ? (record) => items.every((test) => test(record))
      : (record) => items.some((test) => test(record));
  }
  if (condition.kind === 'not') {
    const inner = compileCondition(condition.item, sobject, context, statement);
    return (record) => !inner(record);
  }
  const bound = bindField(sobject, condition.field, statement);
  const { field } = bound;
  const name = condition.field.parts.join('.');
  const mismatch = (literal: Literal, expected: string, quoted: boolean) =>
    invalidField(
      statement,
      literal.offset,
      `value of filter criterion for field '${name}' must be of type ${expected} and ${quoted ? 'should be enclosed in quotes' : 'should not be enclosed in quotes'}`,
    );
  if (
    condition.op === 'LIKE' &&
    !stringTypes.has(field.type) &&
    field.type !== 'id' &&
    field.type !== 'reference'
  ) {
    throw statementError(
      400,
      'INVALID_QUERY_FILTER_OPERATOR',
      statement,
      condition.field.offset,
      `invalid operator on field: ${name}`,
    );
  }
  if (field.type === 'boolean' && !['=', '!=', 'IN', 'NOT IN'].includes(condition.op)) {
    throw statementError(
      400,
      'INVALID_QUERY_FILTER_OPERATOR',
      statement,
      condition.field.offset,
      `invalid operator on boolean field: ${name}`,
    );
  }
  // Each value as [low, high] in comparable form (equal bounds except for date literals), or null.
  const ranges = condition.values.map((literal): [unknown, unknown] | null => {
    if (literal.kind === 'null') return null;
    if (literal.kind === 'string' && literal.likeEscapes && condition.op !== 'LIKE') {
      throw statementError(
        400,
        'MALFORMED_QUERY',
        statement,
        literal.offset,
        `Invalid string literal '${literal.value}'. Illegal character sequence '\\${literal.value.includes('%') ? '%' : '_'}' in string literal.`,
      );
    }
    switch (field.type) {
      case 'boolean':
        if (literal.kind !== 'boolean') throw mismatch(literal, 'boolean', false);
        return [literal.value, literal.value];
      case 'currency':
      case 'double':
        if (literal.kind !== 'number') throw mismatch(literal, 'double', false);
        return [literal.value, literal.value];
      case 'date':
        if (literal.kind === 'dateLiteral') return dateRange(literal, context);
        if (literal.kind !== 'date') throw mismatch(literal, 'date', false);
        return [literal.value, literal.value];
      case 'datetime':
        if (literal.kind === 'dateLiteral') return dateRange(literal, context);
        if (literal.kind !== 'datetime') throw mismatch(literal, 'dateTime', false);
        return [literal.value, literal.value];
      case 'id':
      case 'reference': {
        if (literal.kind !== 'string') throw mismatch(literal, 'id', true);
        if (condition.op === 'LIKE') return [literal.value, literal.value];
        const id = normalizeId(literal.value);
        if (!id)
          throw statementError(
            400,
            'INVALID_QUERY_FILTER_OPERATOR',
            statement,
            literal.offset,
            `invalid ID field: ${literal.value}`,
          );
        return [id, id];
      }
      default:
        if (literal.kind !== 'string') throw mismatch(literal, 'string', true);
        return [literal.value.toUpperCase(), literal.value.toUpperCase()];
    }
  });
  const datetimeAgainstInstant =
    field.type === 'datetime' && condition.values.some((literal) => literal.kind === 'datetime');
  const likePatterns =
    condition.op === 'LIKE'
      ? condition.values.map((literal) =>
          literal.kind === 'string' ? new RegExp(literal.likePattern, 'is') : /$^/,
        )
      : [];
  return (record) => {
    const raw = valueOf(record, bound, context.org);
    if (condition.op === 'LIKE')
      return raw !== null && likePatterns.some((pattern) => pattern.test(String(raw)));
    const value =
      raw === null
        ? null
        : datetimeAgainstInstant
          ? toMillis(String(raw))
          : comparable(field, raw, context);
    const equals = (range: [unknown, unknown] | null) =>
      range === null
        ? value === null
        : value !== null && order(value, range[0]) >= 0 && order(value, range[1]) <= 0;
    const range = ranges[0] ?? null;
    switch (condition.op) {
      case '=':
        return equals(range);
      case '!=':
        return !equals(range);
      case 'IN':
        return ranges.some(equals);
      case 'NOT IN':
        return !ranges.some(equals);
      default:
        if (value === null || range === null) return false;
        if (condition.op === '<') return order(value, range[0]) < 0;
        if (condition.op === '<=') return order(value, range[1]) <= 0;
        if (condition.op === '>') return order(value, range[1]) > 0;
        return order(value, range[0]) >= 0;
    }
  };
}

/** A comparator for ORDER BY: case-insensitive, nulls first unless NULLS LAST. */
export function compileOrder(
  items: readonly OrderItem[],
  sobject: SObjectMetadata,
  context: QueryContext,
  statement: string,
): (a: SfRecord, b: SfRecord) => number {
  const keys = items.map((item) => ({ item, bound: bindField(sobject, item.field, statement) }));
  return (a, b) => {
    for (const { item, bound } of keys) {
      const [x, y] = [valueOf(a, bound, context.org), valueOf(b, bound, context.org)];
      if (x === y) continue;
      if (x === null || y === null) return (x === null ? -1 : 1) * (item.nullsLast ? -1 : 1);
      const result = order(
        typeof x === 'string' ? x.toUpperCase() : x,
        typeof y === 'string' ? y.toUpperCase() : y,
      );
      if (result !== 0) return item.descending ? -result : result;
    }
    return 0;
  };
}

/**
 * One record as the API answers it: `attributes` (type and URL), then each selected field by its
 * API name; a relationship field nests under the relationship name with its own `attributes`
 * (type `Name` for polymorphic relationships), or is null when the lookup is empty.
 */
export function shapeRecord(
  type: SObjectName,
  record: SfRecord,
  fields: readonly BoundField[],
  context: QueryContext,
): ShapedRecord {
  const url = (objectType: string, id: string) =>
    `/services/data/v${context.version}/sobjects/${objectType}/${id}`;
  const out: ShapedRecord = { attributes: { type, url: url(type, record.Id) } };
  for (const bound of fields) {
    if (!bound.lookup?.reference) {
      out[bound.field.name] = record[bound.field.name] ?? null;
      continue;
    }
    const relationship = bound.lookup.reference.relationshipName;
    const targetId = record[bound.lookup.name];
    const target = typeof targetId === 'string' ? context.org.byId.get(targetId) : undefined;
    if (!target) {
      out[relationship] = null;
      continue;
    }
    const nested = (out[relationship] ?? {
      attributes: {
        type: bound.lookup.reference.polymorphic ? 'Name' : target.type,
        url: url(target.type, target.record.Id),
      },
    }) as ShapedRecord;
    nested[bound.field.name] = valueOf(record, bound, context.org);
    out[relationship] = nested;
  }
  return out;
}

/** The records of one object an org holds. */
export function recordsOf(org: SalesforceOrg, type: SObjectName): readonly SfRecord[] {
  return type === 'User' ? org.users : org.records[type];
}

/**
 * Runs a SOQL statement: SELECT with plain and one-level relationship fields (or COUNT()), FROM,
 * WHERE with AND/OR/NOT, comparisons, LIKE, IN and date literals, ORDER BY, LIMIT, OFFSET.
 * Answers every matching record, shaped; the caller pages them.
 */
export function runSoql(
  statement: string,
  context: QueryContext,
): { totalSize: number; records: ShapedRecord[] } {
  const query = parseSoql(statement);
  const sobject = sobjectByName(query.from.name);
  if (!sobject)
    throw statementError(
      400,
      'INVALID_TYPE',
      statement,
      query.from.offset,
      `sObject type '${query.from.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  const bound = dedupe(query.fields.map((path) => bindField(sobject, path, statement)));
  const test = query.where
    ? compileCondition(query.where, sobject, context, statement)
    : () => true;
  let rows = recordsOf(context.org, sobject.name).filter(
    (record) => record.IsDeleted !== true && test(record),
  );
  if (query.orderBy.length > 0)
    rows = [...rows].sort(compileOrder(query.orderBy, sobject, context, statement));
  rows = rows.slice(
    query.offset ?? 0,
    query.limit === undefined ? undefined : (query.offset ?? 0) + query.limit,
  );
  if (query.count) return { totalSize: rows.length, records: [] };
  return {
    totalSize: rows.length,
    records: rows.map((record) => shapeRecord(sobject.name, record, bound, context)),
  };
}

/** Drops repeated fields (`Id, id`), keeping the first. */
export function dedupe(fields: readonly BoundField[]): BoundField[] {
  const seen = new Set<string>();
  return fields.filter((bound) => {
    const key = `${bound.lookup?.name ?? ''}.${bound.field.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
