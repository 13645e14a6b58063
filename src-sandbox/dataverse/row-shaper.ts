import type { Row, SampleData } from '../data/sample-data';
import { entityByLogicalName, type EntityMetadata } from './entity-metadata';
import { compileFilter } from './odata/filter-evaluator';
import { wantsAnnotation, type ExpandOption } from './query-options';
import { compareRows } from './row-order';

const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const LOOKUP_NAME = 'Microsoft.Dynamics.CRM.lookuplogicalname';
const NAVIGATION = 'Microsoft.Dynamics.CRM.associatednavigationproperty';

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const dateTime = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'UTC',
});
const dateOnly = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  timeZone: 'UTC',
});

// "Up to 5,000 related records can be returned for each expanded collection-valued navigation property"
// (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/join-tables#single-expand-on-collection-valued-navigation-properties).
const MAX_RELATED = 5000;

/** What one caller may read. `visible` answers the same array for a table within one request. */
export interface ReadScope {
  visible(table: string): readonly Row[];
  canRead(table: string, row: Row): boolean;
}

/** Writes one expanded navigation property (and, for a collection, its nextLink) onto a shaped row. */
export type Expansion = (row: Row, out: Record<string, unknown>) => void;

// The nested options go into the nextLink as sent; only what a URL cannot carry is escaped.
const encodeOption = (value: string) => encodeURIComponent(value).replace(/%2C/gi, ',');

/** Shapes rows the way the Web API answers: etag, primary key always, selected columns, annotations when asked. */
export class RowShaper {
  readonly #index = new Map<string, Map<string, Row>>();
  /** Related rows grouped by parent id, per visible-rows array and `<lookup column>><parent table>`. */
  readonly #groups = new WeakMap<readonly Row[], Map<string, Map<string, Row[]>>>();

  constructor(
    private readonly data: SampleData,
    private readonly orgUrl: () => string = () => '',
  ) {
    for (const [table, rows] of Object.entries(data.tables)) {
      const entity = entityByLogicalName(table);
      if (entity)
        this.#index.set(table, new Map(rows.map((row) => [String(row[entity.primaryKey]), row])));
    }
  }

  /** A row by table and id. */
  find(table: string, id: string): Row | undefined {
    return this.#index.get(table)?.get(id.toLowerCase());
  }

  /** Registers a row created by an upsert. */
  add(table: string, id: string, row: Row): void {
    this.#index.get(table)?.set(id, row);
  }

  /** Forgets a deleted row. */
  remove(table: string, id: string): void {
    this.#index.get(table)?.delete(id);
  }

  lookupTarget(entity: EntityMetadata, row: Row, column: string): string | undefined {
    const explicit = this.data.lookupTargets.get(
      `${entity.logicalName}:${String(row[entity.primaryKey])}`,
    )?.[column];
    if (explicit) return explicit;
    if (column === '_ownerid_value') return 'systemuser';
    if (column === '_transactioncurrencyid_value') return 'transactioncurrency';
    if (column === '_businessunitid_value') return 'businessunit';
    return undefined;
  }

  /** The row a single-valued navigation property leads to, if the lookup targets that table and the caller may read it. */
  related(entity: EntityMetadata, row: Row, navigation: string, scope: ReadScope): Row | undefined {
    const nav = entity.navigations?.[navigation];
    const id = nav ? row[nav.column] : undefined;
    if (!nav || typeof id !== 'string' || this.lookupTarget(entity, row, nav.column) !== nav.target)
      return undefined;
    const target = this.find(nav.target, id);
    // Dataverse applies the caller's read privilege to related rows too.
    return target && scope.canRead(nav.target, target) ? target : undefined;
  }

  /** The readable rows of a collection-valued navigation property of `parent`, in table order. */
  children(
    entity: EntityMetadata,
    parent: Row,
    navigation: string,
    scope: ReadScope,
  ): readonly Row[] {
    const collection = entity.collections?.[navigation];
    const child = entityByLogicalName(collection?.table ?? '');
    if (!collection || !child) return [];
    const rows = scope.visible(child.logicalName);
    const byKey = this.#groups.get(rows) ?? new Map<string, Map<string, Row[]>>();
    this.#groups.set(rows, byKey);
    const key = `${collection.column}>${entity.logicalName}`;
    let groups = byKey.get(key);
    if (!groups) {
      groups = new Map();
      for (const row of rows) {
        const id = row[collection.column];
        if (
          typeof id !== 'string' ||
          this.lookupTarget(child, row, collection.column) !== entity.logicalName
        )
          continue;
        const group = groups.get(id);
        if (group) group.push(row);
        else groups.set(id, [row]);
      }
      byKey.set(key, groups);
    }
    return groups.get(String(parent[entity.primaryKey])) ?? [];
  }

  /** Compiles each `$expand` item once per request (a bad nested `$filter` is a 400 before any row). */
  expansions(
    entity: EntityMetadata,
    expand: readonly ExpandOption[],
    scope: ReadScope,
    annotations: string | undefined,
  ): Expansion[] {
    const follow = (from: EntityMetadata, row: Row, navigation: string) =>
      this.related(from, row, navigation, scope);
    return expand.map((option): Expansion => {
      const where = option.filter ? compileFilter(option.filter, option.target, follow) : undefined;
      const backReference = option.backReference;
      if (!backReference) {
        return (row, out) => {
          const related = this.related(entity, row, option.navigation, scope);
          out[option.navigation] =
            related && (!where || where(related))
              ? this.shape(option.target, related, option.select, annotations)
              : null;
        };
      }
      // Each related row carries its lookup back to the parent, as the documented responses show.
      const select = option.select ? [...option.select, backReference] : undefined;
      const query = option.options
        .map(([name, value]) => `${name}=${encodeOption(value)}`)
        .join('&');
      return (row, out) => {
        let rows = this.children(entity, row, option.navigation, scope);
        if (where) rows = rows.filter(where);
        if (option.orderBy.length > 0)
          rows = [...rows].sort((a, b) => compareRows(a, b, option.orderBy));
        out[option.navigation] = rows
          .slice(0, Math.min(option.top ?? MAX_RELATED, MAX_RELATED))
          .map((related) => this.shape(option.target, related, select, annotations));
        // A single-level expand is not paged: the link is the filtered collection with the same options.
        out[`${option.navigation}@odata.nextLink`] =
          `${this.orgUrl()}/api/data/v9.2/${entity.setName}(${String(row[entity.primaryKey])})/${option.navigation}${query ? `?${query}` : ''}`;
      };
    });
  }

  shape(
    entity: EntityMetadata,
    row: Row,
    select: readonly string[] | undefined,
    annotations: string | undefined,
    expansions: readonly Expansion[] = [],
  ): Record<string, unknown> {
    const columns = select
      ? [...new Set([entity.primaryKey, ...select])]
      : Object.keys(entity.columns);
    // A money column brings its currency along (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/select-columns).
    if (
      select &&
      columns.some((column) => entity.columns[column] === 'money') &&
      entity.columns._transactioncurrencyid_value
    )
      columns.push('_transactioncurrencyid_value');
    const out: Record<string, unknown> = { '@odata.etag': `W/"${String(row.versionnumber ?? 1)}"` };
    const formatted = wantsAnnotation(annotations, FORMATTED);
    for (const column of columns) {
      const type = entity.columns[column];
      const value = row[column] ?? null;
      if (formatted && value !== null) {
        const label = this.formatted(entity, row, column, value);
        if (label !== undefined) out[`${column}@${FORMATTED}`] = label;
      }
      if (type === 'lookup' && value !== null) {
        if (wantsAnnotation(annotations, LOOKUP_NAME))
          out[`${column}@${LOOKUP_NAME}`] = this.lookupTarget(entity, row, column) ?? null;
        if (wantsAnnotation(annotations, NAVIGATION))
          out[`${column}@${NAVIGATION}`] = column.slice(1, -'_value'.length);
      }
      out[column] = value;
    }
    for (const expansion of expansions) expansion(row, out);
    return out;
  }

  formatted(entity: EntityMetadata, row: Row, column: string, value: unknown): string | undefined {
    const type = entity.columns[column];
    if (type === 'money' && typeof value === 'number') return money.format(value);
    if (type === 'datetime' && typeof value === 'string')
      return dateTime.format(new Date(value)).replace(',', '');
    if (type === 'date' && typeof value === 'string') return dateOnly.format(new Date(value));
    if (type === 'choice' && typeof value === 'number') return entity.labels?.[column]?.[value];
    if (type === 'boolean') return value ? 'Yes' : 'No';
    if (type === 'lookup' && typeof value === 'string') {
      const target = entityByLogicalName(this.lookupTarget(entity, row, column) ?? '');
      const related = target ? this.find(target.logicalName, value) : undefined;
      if (related && target) return String(related[target.primaryName] ?? '');
      if (column === '_transactioncurrencyid_value') return 'US Dollar';
    }
    return undefined;
  }
}
