import { statementError, type SalesforceError } from './salesforce-error';
import { tokenize, type Token } from './soql-lexer';

/** A field as written: `Subject`, `What.Name`. */
export interface FieldPath {
  readonly parts: readonly string[];
  readonly offset: number;
}

export type Literal =
  | {
      readonly kind: 'string';
      readonly value: string;
      readonly likePattern: string;
      readonly likeEscapes: boolean;
      readonly offset: number;
    }
  | { readonly kind: 'number'; readonly value: number; readonly offset: number }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly offset: number }
  | { readonly kind: 'null'; readonly offset: number }
  | { readonly kind: 'date'; readonly value: string; readonly offset: number }
  | { readonly kind: 'datetime'; readonly value: number; readonly offset: number }
  | {
      readonly kind: 'dateLiteral';
      readonly name: string;
      readonly n: number;
      readonly offset: number;
    };

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'IN' | 'NOT IN';

export type Condition =
  | {
      readonly kind: 'compare';
      readonly field: FieldPath;
      readonly op: Operator;
      readonly values: readonly Literal[];
    }
  | { readonly kind: 'and'; readonly items: readonly Condition[] }
  | { readonly kind: 'or'; readonly items: readonly Condition[] }
  | { readonly kind: 'not'; readonly item: Condition };

export interface OrderItem {
  readonly field: FieldPath;
  readonly descending: boolean;
  readonly nullsLast: boolean;
}

/** A parsed `SELECT ... FROM ... [WHERE] [ORDER BY] [LIMIT] [OFFSET]`. */
export interface SoqlQuery {
  /** Empty for `SELECT COUNT()`. */
  readonly fields: readonly FieldPath[];
  readonly count: boolean;
  readonly from: { readonly name: string; readonly offset: number };
  readonly where?: Condition;
  readonly orderBy: readonly OrderItem[];
  readonly limit?: number;
  readonly offset?: number;
}

/** Date literals the stand-in evaluates (`TODAY`, `LAST_N_DAYS:7`, ...); others are refused. */
export const dateLiterals = new Set(['YESTERDAY', 'TODAY', 'TOMORROW']);
export const dateLiteralsWithN = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS', 'N_DAYS_AGO']);

/**
 * A cursor over the tokens of one statement, with the grammar pieces SOQL and SOSL's RETURNING
 * clause share. Errors carry `errorCode` (MALFORMED_QUERY or MALFORMED_SEARCH) and the position.
 */
export class StatementParser {
  readonly #tokens: Token[];
  #index = 0;

  constructor(
    readonly statement: string,
    readonly errorCode: string,
    start = 0,
  ) {
    this.#tokens = tokenize(statement, errorCode, start);
  }

  peek(ahead = 0): Token {
    return this.#tokens[Math.min(this.#index + ahead, this.#tokens.length - 1)] as Token;
  }

  next(): Token {
    const token = this.peek();
    if (this.#index < this.#tokens.length - 1) this.#index += 1;
    return token;
  }

  fail(token: Token, reason = `unexpected token: '${token.text}'`): SalesforceError {
    return statementError(400, this.errorCode, this.statement, token.offset, reason);
  }

  isKeyword(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'ident' && token.text.toUpperCase() === word;
  }

  acceptKeyword(...words: string[]): boolean {
    if (!words.every((word, index) => this.isKeyword(word, index))) return false;
    for (const _word of words) this.next();
    return true;
  }

  expectKeyword(...words: string[]): void {
    for (const word of words) {
      if (!this.isKeyword(word)) throw this.fail(this.peek());
      this.next();
    }
  }

  isSymbol(symbol: string): boolean {
    const token = this.peek();
    return token.kind === 'symbol' && token.text === symbol;
  }

  expectSymbol(symbol: string): Token {
    if (!this.isSymbol(symbol)) throw this.fail(this.peek());
    return this.next();
  }

  field(): FieldPath {
    const token = this.next();
    if (token.kind !== 'ident') throw this.fail(token);
    return { parts: token.text.split('.'), offset: token.offset };
  }

  /** `a, b.c, d` up to the first token that is not a comma. */
  fieldList(): FieldPath[] {
    const fields = [this.field()];
    while (this.isSymbol(',')) {
      this.next();
      fields.push(this.field());
    }
    return fields;
  }

  integer(): number {
    const token = this.next();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) throw this.fail(token);
    return Number(token.text);
  }

  /**
   * A WHERE condition. SOQL requires parentheses whenever AND and OR are mixed ("Logical Operators",
   * https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-select-logicaloperators.html).
   */
  condition(): Condition {
    const first = this.unary();
    const items = [first];
    let joiner: 'and' | 'or' | undefined;
    while (this.isKeyword('AND') || this.isKeyword('OR')) {
      const token = this.next();
      const kind = token.text.toUpperCase() === 'AND' ? 'and' : 'or';
      if (joiner && joiner !== kind) throw this.fail(token);
      joiner = kind;
      items.push(this.unary());
    }
    return joiner === 'and'
      ? { kind: 'and', items }
      : joiner === 'or'
        ? { kind: 'or', items }
        : first;
  }

  unary(): Condition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', item: this.unary() };
    if (this.isSymbol('(')) {
      this.next();
      const inner = this.condition();
      this.expectSymbol(')');
      return inner;
    }
    const field = this.field();
    const token = this.next();
    if (token.kind === 'symbol' && ['=', '!=', '<>', '<', '<=', '>', '>='].includes(token.text)) {
      return {
        kind: 'compare',
        field,
        op: (token.text === '<>' ? '!=' : token.text) as Operator,
        values: [this.literal()],
      };
    }
    const word = token.kind === 'ident' ? token.text.toUpperCase() : '';
    if (word === 'LIKE') return { kind: 'compare', field, op: 'LIKE', values: [this.literal()] };
    if (word === 'IN' || (word === 'NOT' && this.acceptKeyword('IN'))) {
      this.expectSymbol('(');
      const values = [this.literal()];
      while (this.isSymbol(',')) {
        this.next();
        values.push(this.literal());
      }
      this.expectSymbol(')');
      return { kind: 'compare', field, op: word === 'IN' ? 'IN' : 'NOT IN', values };
    }
    throw this.fail(token);
  }

  literal(): Literal {
    const token = this.next();
    const { offset } = token;
    switch (token.kind) {
      case 'string':
        return {
          kind: 'string',
          value: token.value ?? '',
          likePattern: token.likePattern ?? '',
          likeEscapes: token.likeEscapes ?? false,
          offset,
        };
      case 'number':
        return { kind: 'number', value: Number(token.text), offset };
      case 'date':
        return { kind: 'date', value: token.text, offset };
      case 'datetime': {
        const value = Date.parse(token.text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
        if (Number.isNaN(value))
          throw this.fail(
            token,
            `line 1:${offset} no viable alternative at character '${token.text}'`,
          );
        return { kind: 'datetime', value, offset };
      }
      case 'ident': {
        const word = token.text.toUpperCase();
        if (word === 'NULL') return { kind: 'null', offset };
        if (word === 'TRUE' || word === 'FALSE')
          return { kind: 'boolean', value: word === 'TRUE', offset };
        if (dateLiterals.has(word)) return { kind: 'dateLiteral', name: word, n: 0, offset };
        if (dateLiteralsWithN.has(word)) {
          this.expectSymbol(':');
          return { kind: 'dateLiteral', name: word, n: this.integer(), offset };
        }
        throw this.fail(token);
      }
      default:
        throw this.fail(token);
    }
  }

  /**
   * `ORDER BY a [ASC|DESC] [NULLS FIRST|LAST], ...`; nulls sort first unless NULLS LAST ("ORDER BY",
   * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_orderby.htm).
   */
  orderBy(): OrderItem[] {
    const items: OrderItem[] = [];
    do {
      if (items.length > 0) this.next();
      const field = this.field();
      const descending = this.acceptKeyword('DESC') ? true : (this.acceptKeyword('ASC'), false);
      let nullsLast = false;
      if (this.acceptKeyword('NULLS')) {
        if (this.acceptKeyword('LAST')) nullsLast = true;
        else this.expectKeyword('FIRST');
      }
      items.push({ field, descending, nullsLast });
    } while (this.isSymbol(','));
    return items;
  }
}

/** Parses the SOQL subset the stand-in runs; anything else is MALFORMED_QUERY. */
export function parseSoql(statement: string): SoqlQuery {
  const parser = new StatementParser(statement, 'MALFORMED_QUERY');
  parser.expectKeyword('SELECT');
  let count = false;
  let fields: FieldPath[] = [];
  if (parser.isKeyword('COUNT') && parser.peek(1).text === '(' && parser.peek(2).text === ')') {
    parser.next();
    parser.next();
    parser.next();
    count = true;
  } else {
    fields = parser.fieldList();
  }
  parser.expectKeyword('FROM');
  const fromToken = parser.next();
  if (fromToken.kind !== 'ident' || fromToken.text.includes('.')) throw parser.fail(fromToken);
  const where = parser.acceptKeyword('WHERE') ? parser.condition() : undefined;
  const orderBy = parser.acceptKeyword('ORDER', 'BY') ? parser.orderBy() : [];
  const limit = parser.acceptKeyword('LIMIT') ? parser.integer() : undefined;
  const offset = parser.acceptKeyword('OFFSET') ? parser.integer() : undefined;
  const end = parser.peek();
  if (end.kind !== 'eof') throw parser.fail(end);
  return {
    fields,
    count,
    from: { name: fromToken.text, offset: fromToken.offset },
    where,
    orderBy,
    limit,
    offset,
  };
}
