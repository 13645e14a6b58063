import { queryError, unknownProperty } from '../dataverse-error';
import { entityByLogicalName, type ColumnType, type EntityMetadata } from '../entity-metadata';
import type { Row } from '../../data/sample-data';
import type { FilterNode, Operand } from './filter-parser';

/**
 * The row a single-valued navigation property of `row` leads to, or undefined when the lookup is
 * empty, points at another table, or names a row the caller may not read.
 */
export type FollowNavigation = (
  entity: EntityMetadata,
  row: Row,
  navigation: string,
) => Row | undefined;

const edmOf = (type: ColumnType): string =>
  ({
    guid: 'Edm.Guid',
    lookup: 'Edm.Guid',
    string: 'Edm.String',
    int: 'Edm.Int32',
    choice: 'Edm.Int32',
    decimal: 'Edm.Decimal',
    money: 'Edm.Decimal',
    datetime: 'Edm.DateTimeOffset',
    date: 'Edm.Date',
    boolean: 'Edm.Boolean',
  })[type];

const literalEdm: Record<Operand['kind'], string> = {
  string: 'Edm.String',
  number: 'Edm.Int32',
  guid: 'Edm.Guid',
  datetime: 'Edm.DateTimeOffset',
  boolean: 'Edm.Boolean',
  null: 'null',
  column: '',
};
const opName = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
} as const;

/** Compatible operand kinds per column type; anything else is Dataverse's "incompatible types" 400. */
const accepts: Record<ColumnType, readonly Operand['kind'][]> = {
  guid: ['guid', 'null'],
  lookup: ['guid', 'null'],
  string: ['string', 'null'],
  int: ['number', 'null'],
  choice: ['number', 'null'],
  decimal: ['number', 'null'],
  money: ['number', 'null'],
  datetime: ['datetime', 'null'],
  date: ['datetime', 'null'],
  boolean: ['boolean', 'null'],
};

/**
 * SQL LIKE as Dataverse applies it inside contains/startswith/endswith: `%` any run, `_` one
 * character, `[..]`/`[^..]` a set (https://learn.microsoft.com/power-apps/developer/data-platform/wildcard-characters);
 * matching ignores case (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows).
 */
export function likeToRegExp(pattern: string, anchorStart: boolean, anchorEnd: boolean): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i] as string;
    if (char === '%') source += '[\\s\\S]*';
    else if (char === '_') source += '[\\s\\S]';
    else if (char === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) source += '\\[';
      else {
        const body = pattern.slice(i + 1, close);
        const negate = body.startsWith('^');
        const set = (negate ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&');
        source += set.length === 0 ? '\\[\\]' : `[${negate ? '^' : ''}${set}]`;
        i = close;
      }
    } else source += char.replace(/[.*+?^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`${anchorStart ? '^' : ''}${source}${anchorEnd ? '$' : ''}`, 'iu');
}

/** Checks a parsed filter against the table's columns and returns a row predicate. */
export function compileFilter(
  node: FilterNode,
  entity: EntityMetadata,
  follow: FollowNavigation,
): (row: Row) => boolean {
  /** The column's type and a reader of its value, walking the navigation path first (null past an empty lookup). */
  const column = (
    name: string,
    path: readonly string[],
  ): { type: ColumnType; read: (row: Row) => unknown } => {
    const steps: { entity: EntityMetadata; navigation: string }[] = [];
    let current = entity;
    for (const navigation of path) {
      const target = entityByLogicalName(current.navigations?.[navigation]?.target ?? '');
      if (!target) throw unknownProperty(navigation, current.logicalName);
      steps.push({ entity: current, navigation });
      current = target;
    }
    const type = current.columns[name];
    if (!type) throw unknownProperty(name, current.logicalName);
    const read = (row: Row): unknown => {
      let at: Row | undefined = row;
      for (const step of steps) at = at ? follow(step.entity, at, step.navigation) : undefined;
      return at ? at[name] : null;
    };
    return { type, read };
  };
  switch (node.kind) {
    case 'and': {
      const [left, right] = [
        compileFilter(node.left, entity, follow),
        compileFilter(node.right, entity, follow),
      ];
      return (row) => left(row) && right(row);
    }
    case 'or': {
      const [left, right] = [
        compileFilter(node.left, entity, follow),
        compileFilter(node.right, entity, follow),
      ];
      return (row) => left(row) || right(row);
    }
    case 'not': {
      const inner = compileFilter(node.operand, entity, follow);
      return (row) => !inner(row);
    }
    case 'call': {
      const { type, read } = column(node.column, node.path);
      if (type !== 'string')
        throw queryError(
          `The function '${node.name}' is not supported on '${[...node.path, node.column].join('/')}' of type ${edmOf(type)}.`,
        );
      const regex = likeToRegExp(
        node.pattern,
        node.name === 'startswith',
        node.name === 'endswith',
      );
      return (row) => {
        const value = read(row);
        return typeof value === 'string' && regex.test(value);
      };
    }
    case 'compare': {
      let { left, right } = node;
      if (left.kind !== 'column' && right.kind === 'column') [left, right] = [right, left];
      if (left.kind !== 'column') throw queryError('A comparison must name a column.');
      const { type, read } = column(left.name, left.path);
      if (right.kind === 'column') {
        const other = column(right.name, right.path).read;
        return (row) => compare(read(row), other(row), node.op, type);
      }
      if (!accepts[type].includes(right.kind)) {
        throw queryError(
          `The query specified in the URI is not valid. A binary operator with incompatible types was detected. Found operand types '${edmOf(type)}' and '${literalEdm[right.kind]}' for operator kind '${opName[node.op]}'.`,
        );
      }
      const value = right.kind === 'null' ? null : right.value;
      return (row) => compare(read(row), value, node.op, type);
    }
  }
}

function compare(
  actual: unknown,
  expected: unknown,
  op: keyof typeof opName,
  type: ColumnType,
): boolean {
  if (expected === null || actual === null || actual === undefined) {
    const bothNull = (actual ?? null) === null && expected === null;
    return op === 'eq' ? bothNull : op === 'ne' ? !bothNull : false;
  }
  let a: number | string | boolean;
  let b: number | string | boolean;
  if (type === 'string' || type === 'guid' || type === 'lookup') {
    a = String(actual).toLowerCase();
    b = String(expected).toLowerCase();
  } else if (type === 'datetime' || type === 'date') {
    a = Date.parse(String(actual));
    b = Date.parse(String(expected));
  } else {
    a = actual as number;
    b = expected as number;
  }
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
  }
}
