import { statementError, type SalesforceError } from './salesforce-error';

/** One token of a SOQL statement (or of the clauses of a SOSL statement after its search term). */
export interface Token {
  readonly kind: 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'symbol' | 'eof';
  /** The token as written. */
  readonly text: string;
  readonly offset: number;
  /** A string literal's value with its escapes resolved. */
  readonly value?: string;
  /** A string literal as an anchored, case-insensitive LIKE pattern (`%`, `_`, `\%`, `\_`). */
  readonly likePattern?: string;
  /** Whether the literal used `\%` or `\_`, which are valid in LIKE only. */
  readonly likeEscapes?: boolean;
}

const escapes: Record<string, string> = {
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};
const regexChar = (char: string) => char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\d:T])/;
const NUMBER = /^-?\d+(?:\.\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/;
const SYMBOL = /^(?:!=|<>|<=|>=|=|<|>|,|\(|\)|:)/;

/**
 * Splits `statement` (from `start`) into tokens. String literals take the escapes SOQL defines
 * (`\n \r \t \b \f \" \' \\ \uXXXX`, and `\% \_` in LIKE); any other backslash is an error
 * ("Quoted String Escape Sequences",
 * https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-select-quotedstringescapes.html).
 */
export function tokenize(statement: string, errorCode: string, start = 0): Token[] {
  const fail = (offset: number, reason: string): SalesforceError =>
    statementError(400, errorCode, statement, offset, reason);
  const tokens: Token[] = [];
  let at = start;
  while (at < statement.length) {
    const rest = statement.slice(at);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    if (rest[0] === "'") {
      let value = '';
      let pattern = '';
      let likeEscapes = false;
      let index = 1;
      for (;;) {
        const char = rest[index];
        if (char === undefined)
          throw fail(at, `line 1:${at} mismatched character '<EOF>' expecting '''`);
        if (char === "'") break;
        if (char === '\\') {
          const next = rest[index + 1] ?? '';
          if (next === '%' || next === '_') {
            likeEscapes = true;
            value += next;
            pattern += regexChar(next);
            index += 2;
            continue;
          }
          if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(rest.slice(index + 2, index + 6))) {
            const decoded = String.fromCharCode(parseInt(rest.slice(index + 2, index + 6), 16));
            value += decoded;
            pattern += regexChar(decoded);
            index += 6;
            continue;
          }
          const decoded = escapes[next];
          if (decoded === undefined)
            throw fail(
              at,
              `Invalid string literal '${rest.slice(1, index)}\\${next}'. Illegal character sequence '\\${next}' in string literal.`,
            );
          value += decoded;
          pattern += regexChar(decoded);
          index += 2;
          continue;
        }
        value += char;
        pattern += char === '%' ? '.*' : char === '_' ? '.' : regexChar(char);
        index += 1;
      }
      tokens.push({
        kind: 'string',
        text: rest.slice(0, index + 1),
        offset: at,
        value,
        likePattern: `^${pattern}$`,
        likeEscapes,
      });
      at += index + 1;
      continue;
    }
    const datetime = DATETIME.exec(rest);
    const date = datetime ? null : DATE.exec(rest);
    const number = datetime || date ? null : NUMBER.exec(rest);
    const ident = IDENT.exec(rest);
    const symbol = SYMBOL.exec(rest);
    const match = datetime ?? date ?? number ?? ident ?? symbol;
    if (!match) throw fail(at, `unexpected token: '${rest[0] ?? ''}'`);
    const kind = datetime
      ? 'datetime'
      : date
        ? 'date'
        : number
          ? 'number'
          : ident
            ? 'ident'
            : 'symbol';
    tokens.push({ kind, text: match[0], offset: at });
    at += match[0].length;
  }
  tokens.push({ kind: 'eof', text: '<EOF>', offset: statement.length });
  return tokens;
}
