import type { Row, SampleData } from '../data/sample-data';
import { entityByLogicalName, type EntityMetadata } from './entity-metadata';
import { wantsAnnotation } from './query-options';

const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const LOOKUP_NAME = 'Microsoft.Dynamics.CRM.lookuplogicalname';
const NAVIGATION = 'Microsoft.Dynamics.CRM.associatednavigationproperty';

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const dateTime = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
const dateOnly = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'numeric', day: 'numeric', timeZone: 'UTC' });

/** Shapes rows the way the Web API answers: etag, primary key always, selected columns, annotations when asked. */
export class RowShaper {
  readonly #index = new Map<string, Map<string, Row>>();

  constructor(private readonly data: SampleData) {
    for (const [table, rows] of Object.entries(data.tables)) {
      const entity = entityByLogicalName(table);
      if (entity) this.#index.set(table, new Map(rows.map((row) => [String(row[entity.primaryKey]), row])));
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

  lookupTarget(entity: EntityMetadata, row: Row, column: string): string | undefined {
    const explicit = this.data.lookupTargets.get(`${entity.logicalName}:${String(row[entity.primaryKey])}`)?.[column];
    if (explicit) return explicit;
    if (column === '_ownerid_value') return 'systemuser';
    if (column === '_transactioncurrencyid_value') return 'transactioncurrency';
    if (column === '_businessunitid_value') return 'businessunit';
    return undefined;
  }

  shape(entity: EntityMetadata, row: Row, select: readonly string[] | undefined, annotations: string | undefined, expand: readonly { navigation: string; select: readonly string[] | undefined }[] = []): Record<string, unknown> {
    const columns = select ? [...new Set([entity.primaryKey, ...select])] : Object.keys(entity.columns);
    // A money column brings its currency along (WIRE.md 1.3).
    if (select && columns.some((column) => entity.columns[column] === 'money') && entity.columns._transactioncurrencyid_value) columns.push('_transactioncurrencyid_value');
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
        if (wantsAnnotation(annotations, LOOKUP_NAME)) out[`${column}@${LOOKUP_NAME}`] = this.lookupTarget(entity, row, column) ?? null;
        if (wantsAnnotation(annotations, NAVIGATION)) out[`${column}@${NAVIGATION}`] = column.slice(1, -'_value'.length);
      }
      out[column] = value;
    }
    for (const { navigation, select: nestedSelect } of expand) {
      const nav = entity.navigations?.[navigation];
      const target = nav ? entityByLogicalName(nav.target) : undefined;
      const id = nav ? row[nav.column] : undefined;
      const related = target && typeof id === 'string' && this.lookupTarget(entity, row, nav?.column ?? '') === target.logicalName ? this.find(target.logicalName, id) : undefined;
      out[navigation] = related && target ? this.shape(target, related, nestedSelect, annotations) : null;
    }
    return out;
  }

  formatted(entity: EntityMetadata, row: Row, column: string, value: unknown): string | undefined {
    const type = entity.columns[column];
    if (type === 'money' && typeof value === 'number') return money.format(value);
    if (type === 'datetime' && typeof value === 'string') return dateTime.format(new Date(value)).replace(',', '');
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
