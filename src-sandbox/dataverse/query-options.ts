import { queryError, unknownProperty } from './dataverse-error';
import type { EntityMetadata } from './entity-metadata';

/** The query options of one collection request, validated against the table. */
export interface QueryOptions {
  readonly select: readonly string[] | undefined;
  readonly filter: string | undefined;
  readonly orderBy: readonly { readonly column: string; readonly descending: boolean }[];
  readonly top: number | undefined;
  readonly count: boolean;
  readonly expand: readonly { readonly navigation: string; readonly select: readonly string[] | undefined }[];
  readonly skipToken: number | undefined;
}

const supported = new Set(['$select', '$filter', '$orderby', '$top', '$count', '$expand', '$skiptoken']);

/** Parses `Prefer` (several headers or comma-joined, RFC 7240) into page size and annotations. */
export function parsePrefer(header: string | string[] | undefined): { maxPageSize?: number; annotations?: string; returnRepresentation: boolean } {
  const values = (Array.isArray(header) ? header : header ? [header] : []).flatMap((value) => value.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)).map((value) => value.trim());
  const out: { maxPageSize?: number; annotations?: string; returnRepresentation: boolean } = { returnRepresentation: false };
  for (const value of values) {
    const [name, raw] = value.split('=') as [string, string | undefined];
    if (name === 'odata.maxpagesize' && raw && /^\d+$/.test(raw)) out.maxPageSize = Math.min(Number(raw), 5000);
    if (name === 'odata.include-annotations' && raw) out.annotations = raw.replace(/^"|"$/g, '');
    if (name === 'return' && raw === 'representation') out.returnRepresentation = true;
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

/** Reads the `$` options, refusing unsupported ones ($skip, $search, $format) as Dataverse does. */
export function parseQueryOptions(query: URLSearchParams, entity: EntityMetadata): QueryOptions {
  for (const name of query.keys()) {
    if (name.startsWith('$') && !supported.has(name)) throw queryError(`The query parameter ${name} is not supported`);
  }
  const select = query.get('$select') ? columnList(query.get('$select') as string, entity) : undefined;
  const orderBy = (query.get('$orderby') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [column = '', direction = 'asc'] = part.split(/\s+/);
      if (!entity.columns[column]) throw unknownProperty(column, entity.logicalName);
      if (direction !== 'asc' && direction !== 'desc') throw queryError(`Syntax error: '${part}' in $orderby.`);
      return { column, descending: direction === 'desc' };
    });
  const topText = query.get('$top');
  if (topText !== null && !/^\d+$/.test(topText)) throw queryError(`Invalid value '${topText}' for $top query option found. The $top query option requires a non-negative integer value.`);
  const expand = (query.get('$expand') ?? '')
    .split(/,(?![^(]*\))/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^([A-Za-z_]+)(?:\(\$select=([A-Za-z0-9_,]+)\))?$/.exec(part);
      const navigation = match?.[1] ?? '';
      if (!match || !entity.navigations?.[navigation]) throw queryError(`Could not find a property named '${navigation || part}' on type 'Microsoft.Dynamics.CRM.${entity.logicalName}'.`);
      return { navigation, select: match[2]?.split(',') };
    });
  const token = query.get('$skiptoken');
  let skipToken: number | undefined;
  if (token !== null) {
    const page = /pagenumber="(\d+)"/.exec(token);
    if (!page) throw queryError('The $skiptoken is not a valid paging cookie.');
    skipToken = Number(page[1]);
  }
  return { select, filter: query.get('$filter') ?? undefined, orderBy, top: topText === null ? undefined : Number(topText), count: query.get('$count') === 'true', expand, skipToken };
}
