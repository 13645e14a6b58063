import { DataverseError, queryError, unknownProperty } from './dataverse-error';
import { entityByLogicalName, type EntityMetadata } from './entity-metadata';
import { parseFilter, type FilterNode } from './odata/filter-parser';

/** One `$orderby` term. */
export interface OrderBy {
  readonly column: string;
  readonly descending: boolean;
}

/**
 * One `$expand` item with its nested options, which Dataverse separates with `;`
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/join-tables).
 */
export interface ExpandOption {
  readonly navigation: string;
  /** The related table. */
  readonly target: EntityMetadata;
  /** Collection-valued (one-to-many): the related rows' lookup column back to this table. */
  readonly backReference: string | undefined;
  readonly select: readonly string[] | undefined;
  readonly filter: FilterNode | undefined;
  readonly orderBy: readonly OrderBy[];
  readonly top: number | undefined;
  /** The nested options as sent, for the `<navigation>@odata.nextLink` of a collection. */
  readonly options: readonly (readonly [string, string])[];
}

/** The query options of one collection request, validated against the table. */
export interface QueryOptions {
  readonly select: readonly string[] | undefined;
  readonly filter: string | undefined;
  readonly orderBy: readonly OrderBy[];
  readonly top: number | undefined;
  readonly count: boolean;
  readonly expand: readonly ExpandOption[];
  readonly skipToken: number | undefined;
  /** The paging cookie's `last` primary key (lower case), where a keyset-paged table goes on from. */
  readonly skipAfter: string | undefined;
}

const supported = new Set([
  '$select',
  '$filter',
  '$orderby',
  '$top',
  '$count',
  '$expand',
  '$skiptoken',
  '$deltatoken',
]);

/** Parses `Prefer` (several headers or comma-joined, RFC 7240) into page size and annotations. */
export function parsePrefer(header: string | string[] | undefined): {
  maxPageSize?: number;
  annotations?: string;
  returnRepresentation: boolean;
  trackChanges: boolean;
} {
  const values = (Array.isArray(header) ? header : header ? [header] : [])
    .flatMap((value) => value.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/))
    .map((value) => value.trim());
  const out: {
    maxPageSize?: number;
    annotations?: string;
    returnRepresentation: boolean;
    trackChanges: boolean;
  } = { returnRepresentation: false, trackChanges: false };
  for (const value of values) {
    const [name, raw] = value.split('=') as [string, string | undefined];
    if (name === 'odata.maxpagesize' && raw && /^\d+$/.test(raw))
      out.maxPageSize = Math.min(Number(raw), 5000);
    if (name === 'odata.include-annotations' && raw) out.annotations = raw.replace(/^"|"$/g, '');
    if (name === 'return' && raw === 'representation') out.returnRepresentation = true;
    if (name === 'odata.track-changes') out.trackChanges = true;
  }
  return out;
}

/** Whether an annotation term is asked for by the `odata.include-annotations` list (with `*` wildcards). */
export function wantsAnnotation(requested: string | undefined, term: string): boolean {
  if (!requested) return false;
  return requested.split(',').some((pattern) => {
    const trimmed = pattern.trim();
    if (trimmed === '*') return true;
    return trimmed.endsWith('*') ? term.startsWith(trimmed.slice(0, -1)) : trimmed === term;
  });
}

const columnList = (value: string, entity: EntityMetadata) =>
  value.split(',').map((name) => {
    const column = name.trim();
    if (!entity.columns[column]) throw unknownProperty(column, entity.logicalName);
    return column;
  });

function parseOrderBy(value: string, entity: EntityMetadata): OrderBy[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [column = '', direction = 'asc'] = part.split(/\s+/);
      if (!entity.columns[column]) throw unknownProperty(column, entity.logicalName);
      if (direction !== 'asc' && direction !== 'desc')
        throw queryError(`Syntax error: '${part}' in $orderby.`);
      return { column, descending: direction === 'desc' };
    });
}

function parseTop(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (!/^\d+$/.test(value))
    throw queryError(
      `Invalid value '${value}' for $top query option found. The $top query option requires a non-negative integer value.`,
    );
  return Number(value);
}

/** Splits on `separator` outside parentheses and quoted literals, where a `$filter` may hold one. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === "'") quoted = !quoted;
    else if (!quoted && char === '(') depth += 1;
    else if (!quoted && char === ')') depth -= 1;
    else if (!quoted && depth === 0 && char === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim()).filter(Boolean);
}

// The documented refusal of $top/$orderby where no paging can apply (join-tables, "Nested $expand on
// collection-valued navigation properties"); the sandbox has no nested $expand, so it is many-to-one here.
const manyToOneOptions = () =>
  new DataverseError(
    400,
    '0x80060888',
    'Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship.',
  );

function parseExpandItem(part: string, entity: EntityMetadata): ExpandOption {
  const match = /^([A-Za-z_]+)(?:\(([\s\S]*)\))?$/.exec(part);
  const navigation = match?.[1] ?? '';
  const single = entity.navigations?.[navigation];
  const collection = entity.collections?.[navigation];
  const target = entityByLogicalName(single?.target ?? collection?.table ?? '');
  if (!match || !target)
    throw queryError(
      `Could not find a property named '${navigation || part}' on type 'Microsoft.Dynamics.CRM.${entity.logicalName}'.`,
    );
  const options = splitTopLevel(match[2] ?? '', ';').map((option): [string, string] => {
    const equals = option.indexOf('=');
    return equals < 0
      ? [option, '']
      : [option.slice(0, equals).trim(), option.slice(equals + 1).trim()];
  });
  const value = (name: string) => options.find(([key]) => key === name)?.[1] ?? null;
  for (const [name] of options) {
    if (name === '$expand') throw queryError('The sandbox does not support a nested $expand.');
    if (!['$select', '$filter', '$orderby', '$top'].includes(name))
      throw queryError(`The query parameter ${name} is not supported inside $expand.`);
  }
  if (single && (value('$orderby') !== null || value('$top') !== null)) throw manyToOneOptions();
  const filterText = value('$filter');
  return {
    navigation,
    target,
    backReference: collection?.column,
    select: value('$select') ? columnList(value('$select') as string, target) : undefined,
    filter: filterText ? parseFilter(filterText) : undefined,
    orderBy: parseOrderBy(value('$orderby') ?? '', target),
    top: parseTop(value('$top')),
    options,
  };
}

/** Reads the `$` options, refusing unsupported ones ($skip, $search, $format) as Dataverse does. */
export function parseQueryOptions(query: URLSearchParams, entity: EntityMetadata): QueryOptions {
  for (const name of query.keys()) {
    if (name.startsWith('$') && !supported.has(name))
      throw queryError(`The query parameter ${name} is not supported`);
  }
  const select = query.get('$select')
    ? columnList(query.get('$select') as string, entity)
    : undefined;
  const orderBy = parseOrderBy(query.get('$orderby') ?? '', entity);
  const top = parseTop(query.get('$top'));
  const expand = splitTopLevel(query.get('$expand') ?? '', ',').map((part) =>
    parseExpandItem(part, entity),
  );
  const token = query.get('$skiptoken');
  let skipToken: number | undefined;
  let skipAfter: string | undefined;
  if (token !== null) {
    const page = /pagenumber="(\d+)"/.exec(token);
    if (!page) throw queryError('The $skiptoken is not a valid paging cookie.');
    skipToken = Number(page[1]);
    // The cookie names the page's last row: `<cookie page="1"><systemuserid last="{GUID}" first="{GUID}" /></cookie>`.
    const cookie = /pagingcookie="([^"]*)"/.exec(token)?.[1];
    let decoded: string;
    try {
      decoded = decodeURIComponent(cookie ?? '');
    } catch {
      throw queryError('The $skiptoken is not a valid paging cookie.');
    }
    skipAfter = / last="\{([0-9A-Fa-f-]{36})\}"/.exec(decoded)?.[1]?.toLowerCase();
  }
  return {
    select,
    filter: query.get('$filter') ?? undefined,
    orderBy,
    top,
    count: query.get('$count') === 'true',
    expand,
    skipToken,
    skipAfter,
  };
}

/** The `@odata.context` select list: the columns, then each expansion with its own list. */
export function contextSelectList(
  select: readonly string[] | undefined,
  expand: readonly ExpandOption[],
): string {
  const items = [
    ...(select ?? []),
    ...expand.map((item) => `${item.navigation}(${(item.select ?? []).join(',')})`),
  ];
  return items.length > 0 ? `(${items.join(',')})` : '';
}
