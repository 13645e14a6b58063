import type { SalesforceError } from './salesforce-error';

/**
 * The characters SOSL reserves inside `FIND {...}`; written literally they must be escaped with a
 * backslash, and an unescaped one is an error unless it has a meaning: `*` and `?` are wildcards,
 * `"` quotes a phrase, `(` `)` group ("FIND {SearchQuery}",
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_sosl_find.htm;
 * "Example Text Searches", https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/api/sforce_api_calls_sosl_examples.htm).
 */
export const SOSL_RESERVED = '?&|!{}[]()^~*:\\"\'+-';

/** A parsed search query: terms (each a phrase of one or more token patterns) joined by AND, OR, AND NOT. */
export type SearchNode =
  | { readonly kind: 'term'; readonly tokens: readonly RegExp[] }
  | { readonly kind: 'and' | 'or'; readonly items: readonly SearchNode[] }
  | { readonly kind: 'andNot'; readonly left: SearchNode; readonly right: SearchNode };

type Lexeme =
  | {
      readonly kind: 'term';
      readonly chars: readonly { char: string; escaped: boolean }[];
      readonly offset: number;
    }
  | { readonly kind: 'and' | 'or' | 'not' | '(' | ')'; readonly offset: number };

/** Text as the search index holds it: lower case, accents dropped. */
export const normalizeText = (text: string) =>
  text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
/** The tokens of a field value: the index splits text on spaces and punctuation. */
export const tokensOf = (text: string) =>
  normalizeText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/**
 * Parses the text between the braces of FIND. `fail(offset, reason)` builds the MALFORMED_SEARCH
 * error. Words are split into tokens on punctuation as the index is, so an escaped `O\'Brien` is
 * the phrase "o brien"; text searches ignore case (and, in this stand-in, accents).
 */
export function parseSearchTerm(
  text: string,
  fail: (offset: number, reason: string) => SalesforceError,
): SearchNode {
  const lexemes = lex(text, fail);
  let index = 0;
  let literalChars = 0;
  const peek = () => lexemes[index];
  const unexpected = (lexeme: Lexeme | undefined) =>
    fail(
      lexeme?.offset ?? text.length,
      lexeme
        ? `unexpected token in search query: '${lexeme.kind === 'term' ? lexeme.chars.map((c) => c.char).join('') : lexeme.kind.toUpperCase()}'`
        : 'unexpected end of search query',
    );

  const primary = (): SearchNode => {
    const lexeme = lexemes[index++];
    if (lexeme?.kind === '(') {
      const inner = expression();
      if (lexemes[index++]?.kind !== ')') throw unexpected(lexemes[index - 1]);
      return inner;
    }
    if (lexeme?.kind !== 'term') throw unexpected(lexeme);
    const tokens: RegExp[] = [];
    let current = '';
    const flush = () => {
      if (current) tokens.push(new RegExp(`^${current}$`, 'u'));
      current = '';
    };
    for (const { char, escaped } of lexeme.chars) {
      if (!escaped && char === '*') current += '[\\p{L}\\p{N}]*';
      else if (!escaped && char === '?') current += '[\\p{L}\\p{N}]';
      else if (/[\p{L}\p{N}]/u.test(char)) {
        current += normalizeText(char).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        literalChars += 1;
      } else flush();
    }
    flush();
    // Escaped punctuation alone (`Acme \& Co`) is no token of the index: it constrains nothing.
    return tokens.length === 0 ? { kind: 'and', items: [] } : { kind: 'term', tokens };
  };
  const conjunction = (): SearchNode => {
    let left = primary();
    for (;;) {
      const next = peek();
      if (next?.kind === 'and' && lexemes[index + 1]?.kind === 'not') {
        index += 2;
        left = { kind: 'andNot', left, right: primary() };
      } else if (next?.kind === 'and') {
        index += 1;
        left = { kind: 'and', items: [left, primary()] };
      } else if (next?.kind === 'term' || next?.kind === '(') {
        // Words side by side must all match.
        left = { kind: 'and', items: [left, primary()] };
      } else return left;
    }
  };
  const expression = (): SearchNode => {
    let left = conjunction();
    while (peek()?.kind === 'or') {
      index += 1;
      left = { kind: 'or', items: [left, conjunction()] };
    }
    return left;
  };

  if (lexemes.length === 0)
    throw fail(0, 'No search term found. The search term must be enclosed in braces.');
  const tree = expression();
  if (index < lexemes.length) throw unexpected(lexemes[index]);
  if (literalChars < 2) throw fail(0, 'search term must be longer than one character');
  return tree;
}

function lex(text: string, fail: (offset: number, reason: string) => SalesforceError): Lexeme[] {
  const lexemes: Lexeme[] = [];
  let at = 0;
  const readChars = (stop: (char: string) => boolean, inPhrase: boolean) => {
    const chars: { char: string; escaped: boolean }[] = [];
    while (at < text.length && !stop(text[at] as string)) {
      const char = text[at] as string;
      if (char === '\\') {
        const next = text[at + 1];
        if (next === undefined)
          throw fail(at, "unescaped reserved character '\\' at the end of the search query");
        chars.push({ char: next, escaped: true });
        at += 2;
        continue;
      }
      if (
        SOSL_RESERVED.includes(char) &&
        char !== '*' &&
        char !== '?' &&
        !(inPhrase && char === '"')
      ) {
        throw fail(at, `reserved character '${char}' must be escaped with a backslash`);
      }
      chars.push({ char, escaped: false });
      at += 1;
    }
    return chars;
  };
  while (at < text.length) {
    const char = text[at] as string;
    if (/\s/.test(char)) {
      at += 1;
    } else if (char === '(' || char === ')') {
      lexemes.push({ kind: char, offset: at });
      at += 1;
    } else if (char === '"') {
      const offset = at;
      at += 1;
      const chars = readChars((next) => next === '"', true);
      if (text[at] !== '"')
        throw fail(offset, 'unterminated phrase: a phrase must end with a double quote');
      at += 1;
      lexemes.push({ kind: 'term', chars, offset });
    } else {
      const offset = at;
      const chars = readChars(
        (next) => /\s/.test(next) || next === '(' || next === ')' || next === '"',
        false,
      );
      const word = chars.every((entry) => !entry.escaped)
        ? chars
            .map((entry) => entry.char)
            .join('')
            .toUpperCase()
        : '';
      if (word === 'AND' || word === 'OR' || word === 'NOT')
        lexemes.push({ kind: word.toLowerCase() as 'and' | 'or' | 'not', offset });
      else lexemes.push({ kind: 'term', chars, offset });
    }
  }
  return lexemes;
}

/** Whether `node` matches a record whose searched fields hold `texts`. */
export function matchesSearch(node: SearchNode, texts: readonly (readonly string[])[]): boolean {
  switch (node.kind) {
    case 'term':
      return texts.some((tokens) => {
        for (let start = 0; start + node.tokens.length <= tokens.length; start += 1) {
          if (node.tokens.every((pattern, offset) => pattern.test(tokens[start + offset] ?? '')))
            return true;
        }
        return false;
      });
    case 'and':
      return node.items.every((item) => matchesSearch(item, texts));
    case 'or':
      return node.items.some((item) => matchesSearch(item, texts));
    case 'andNot':
      return matchesSearch(node.left, texts) && !matchesSearch(node.right, texts);
  }
}
