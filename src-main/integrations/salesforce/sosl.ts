import { MAX_QUERY_LENGTH } from '../../../src-shared/domain/search';

/**
 * The characters SOSL reserves inside `FIND {...}`; each means itself only when preceded by a
 * backslash ("FIND {SearchQuery}",
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_sosl_find.htm;
 * "Example Text Searches", https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/api/sforce_api_calls_sosl_examples.htm).
 */
export const SOSL_RESERVED = '?&|!{}[]()^~*:\\"\'+-';

/** SOSL searches need at least two letters or digits; shorter text is answered with nothing, without a request. */
export const MIN_SEARCH_CHARS = 2;

/** SOSL answers at most 2,000 rows (API v28.0 and later), spread over the RETURNING objects ("LIMIT n"). */
export const MAX_SOSL_ROWS = 2000;

/** The objects and fields a search returns, in the order results are listed. */
export const SEARCH_RETURNING =
  'Lead(Id, Name, Company, Email, Status), Contact(Id, Name, Email, Phone, Account.Name), Account(Id, Name, Phone, BillingCity), Opportunity(Id, Name, StageName, Amount, Account.Name)';

const RESERVED = new Set(SOSL_RESERVED);
/** AND, OR and NOT are operators unless quoted: `FIND {"and" or "or"}` ("Example Text Searches"). */
const OPERATORS = new Set(['AND', 'OR', 'NOT']);
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** `text` with every SOSL reserved character backslash-escaped, so it is searched literally. */
export function escapeSoslTerm(text: string): string {
  let out = '';
  for (const char of text) out += RESERVED.has(char) ? `\\${char}` : char;
  return out;
}

/**
 * The search term of FIND for what the user typed: every reserved character escaped (the text can
 * never close the braces or add clauses), the words AND, OR and NOT quoted so they are searched
 * rather than applied, and a trailing `*` on the last word so the launcher finds records as the
 * user types ("acm" finds Acme). Undefined when the text has fewer than two letters or digits.
 */
export function soslSearchTerm(text: string): string | undefined {
  // The launcher never sends more than MAX_QUERY_LENGTH characters; escaped, that stays far below
  // the 4,000 characters past which SOSL drops operators and the 10,000 past which it answers nothing.
  const words = Array.from(text.replace(/\p{Cf}/gu, '').replace(/[\p{Cc}\s]+/gu, ' '))
    .slice(0, MAX_QUERY_LENGTH)
    .join('')
    .split(' ')
    .filter(Boolean);
  const letterCount = (value: string) =>
    Array.from(value).filter((char) => WORD_CHAR.test(char)).length;
  if (letterCount(words.join('')) < MIN_SEARCH_CHARS) return undefined;
  return words
    .map((word, index) => {
      if (OPERATORS.has(word.toUpperCase())) return `"${word}"`;
      const escaped = escapeSoslTerm(word);
      const last = index === words.length - 1;
      return last &&
        WORD_CHAR.test(Array.from(word).at(-1) ?? '') &&
        letterCount(word) >= MIN_SEARCH_CHARS
        ? `${escaped}*`
        : escaped;
    })
    .join(' ');
}

/**
 * The SOSL statement of one launcher search: the escaped term in all fields, the four objects the
 * launcher shows, at most `limit` rows (1 to 2,000) in all. Undefined when the text is too short
 * to search ("SOSL Syntax", https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-sosl-syntax.html).
 */
export function buildSearchSosl(text: string, limit: number): string | undefined {
  const term = soslSearchTerm(text);
  if (term === undefined) return undefined;
  const rows = Math.min(MAX_SOSL_ROWS, Math.max(1, Math.floor(limit)));
  return `FIND {${term}} IN ALL FIELDS RETURNING ${SEARCH_RETURNING} LIMIT ${rows}`;
}
