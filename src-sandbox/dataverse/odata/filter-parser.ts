import { queryError } from '../dataverse-error';

/** The parsed form of a `$filter`: the subset Dataverse clients use (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows). */
export type FilterNode =
  | { readonly kind: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: 'not'; readonly operand: FilterNode }
  | {
      readonly kind: 'compare';
      readonly op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
      readonly left: Operand;
      readonly right: Operand;
    }
  | {
      readonly kind: 'call';
      readonly name: 'contains' | 'startswith' | 'endswith';
      readonly column: string;
      readonly path: readonly string[];
      readonly pattern: string;
    };

/**
 * A column, reached directly or through single-valued navigation properties (`path`), as in
 * `primarycontactid/fullname` (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows#filter-using-lookup-column-property-values).
 */
export type Operand =
  | { readonly kind: 'column'; readonly name: string; readonly path: readonly string[] }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'guid'; readonly value: string }
  | { readonly kind: 'datetime'; readonly value: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' };

type Token = {
  readonly type: 'word' | 'string' | 'punct';
  readonly text: string;
  readonly position: number;
};

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const comparisons = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const functions = new Set(['contains', 'startswith', 'endswith']);

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const char = filter[i] as string;
    if (char === ' ' || char === '\t') {
      i += 1;
    } else if (char === "'") {
      // A quote inside a literal is written twice ('O''Brien').
      const start = i;
      let value = '';
      i += 1;
      for (;;) {
        if (i >= filter.length)
          throw queryError(`There is an unterminated literal at position ${start} in '${filter}'.`);
        if (filter[i] === "'") {
          if (filter[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += filter[i];
        i += 1;
      }
      tokens.push({ type: 'string', text: value, position: start });
    } else if ('(),'.includes(char)) {
      tokens.push({ type: 'punct', text: char, position: i });
      i += 1;
    } else {
      const start = i;
      while (i < filter.length && !" \t(),'".includes(filter[i] as string)) i += 1;
      tokens.push({ type: 'word', text: filter.slice(start, i), position: start });
    }
  }
  return tokens;
}

/** Parses a `$filter` value, or throws a Dataverse-shaped 400 naming the position. */
export function parseFilter(filter: string): FilterNode {
  const tokens = tokenize(filter);
  let index = 0;
  const peek = () => tokens[index];
  const syntax = (token: Token | undefined): never => {
    throw queryError(
      `Syntax error at position ${token ? token.position : filter.length} in '${filter}'.`,
    );
  };
  const expect = (text: string) => {
    const token = tokens[index];
    if (!token || token.text !== text) syntax(token);
    index += 1;
  };

  const operand = (): Operand => {
    const token = tokens[index];
    if (!token) return syntax(token);
    index += 1;
    if (token.type === 'string') return { kind: 'string', value: token.text };
    if (token.type !== 'word') return syntax(token);
    const word = token.text;
    if (comparisons.has(word) || word === 'and' || word === 'or' || word === 'not')
      return syntax(token);
    if (word === 'null') return { kind: 'null' };
    if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' };
    if (GUID.test(word)) return { kind: 'guid', value: word.toLowerCase() };
    if (DATE.test(word)) return { kind: 'datetime', value: word };
    if (/^-?\d+(\.\d+)?$/.test(word)) return { kind: 'number', value: Number(word) };
    if (/^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/.test(word)) {
      const segments = word.split('/');
      return { kind: 'column', name: segments.at(-1) as string, path: segments.slice(0, -1) };
    }
    return syntax(token);
  };

  const primary = (): FilterNode => {
    const token = peek();
    if (!token) return syntax(token);
    if (token.text === '(') {
      index += 1;
      const inner = or();
      expect(')');
      return inner;
    }
    if (token.type === 'word' && functions.has(token.text) && tokens[index + 1]?.text === '(') {
      index += 2;
      const column = operand();
      expect(',');
      const pattern = operand();
      expect(')');
      if (column.kind !== 'column') return syntax(token);
      if (pattern.kind !== 'string')
        throw queryError(`The function '${token.text}' requires a string argument in '${filter}'.`);
      return {
        kind: 'call',
        name: token.text as 'contains',
        column: column.name,
        path: column.path,
        pattern: pattern.value,
      };
    }
    const left = operand();
    const op = tokens[index];
    if (!op || op.type !== 'word' || !comparisons.has(op.text)) return syntax(op);
    index += 1;
    const right = operand();
    return { kind: 'compare', op: op.text as 'eq', left, right };
  };

  const unary = (): FilterNode => {
    if (peek()?.type === 'word' && peek()?.text === 'not') {
      index += 1;
      return { kind: 'not', operand: unary() };
    }
    return primary();
  };

  const and = (): FilterNode => {
    let left = unary();
    while (peek()?.type === 'word' && peek()?.text === 'and') {
      index += 1;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };

  function or(): FilterNode {
    let left = and();
    while (peek()?.type === 'word' && peek()?.text === 'or') {
      index += 1;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  }

  if (tokens.length === 0) syntax(undefined);
  const tree = or();
  if (index < tokens.length) syntax(tokens[index]);
  return tree;
}
