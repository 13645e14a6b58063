import { describe, expect, it } from 'vitest';
import {
  buildSearchSosl,
  escapeSoslTerm,
  SEARCH_RETURNING,
  SOSL_RESERVED,
  soslSearchTerm,
} from './sosl';

/** The text between FIND's braces, found the way Salesforce does: the first `}` not escaped. */
function termOf(statement: string): { term: string; rest: string } {
  const open = statement.indexOf('{');
  let close = open + 1;
  while (close < statement.length && statement[close] !== '}')
    close += statement[close] === '\\' ? 2 : 1;
  return { term: statement.slice(open + 1, close), rest: statement.slice(close + 1) };
}

describe('SOSL search terms', () => {
  it('escapes every reserved character with a backslash', () => {
    for (const char of SOSL_RESERVED) expect(escapeSoslTerm(`a${char}b`)).toBe(`a\\${char}b`);
    expect(escapeSoslTerm('plain text, @ . / = < > ; _ %')).toBe('plain text, @ . / = < > ; _ %');
    expect([...SOSL_RESERVED].sort()).toEqual([...'?&|!{}[]()^~*:\\"\'+-'].sort());
  });

  it("escapes a backslash before what follows it, so it cannot escape Workstation's own characters", () => {
    expect(escapeSoslTerm('ab\\')).toBe('ab\\\\');
    expect(escapeSoslTerm('\\}')).toBe('\\\\\\}');
  });

  it('keeps text meant to end the search inside the braces', () => {
    for (const attack of [
      '} RETURNING User(Id)',
      'x} IN ALL FIELDS RETURNING User(Id, Username) LIMIT 2000 //',
      'ab\\} RETURNING User(Id)',
      '"} RETURNING User(Id) {"',
    ]) {
      const statement = buildSearchSosl(attack, 20) ?? '';
      const { term, rest } = termOf(statement);
      expect(rest).toBe(` IN ALL FIELDS RETURNING ${SEARCH_RETURNING} LIMIT 20`);
      expect(term).not.toMatch(/(?<!\\)(?:\\\\)*[{}()"]/);
      expect(term.replace(/\\(.)/g, '$1').replace(/\*$/, '')).toBe(
        attack.trim().replace(/\s+/g, ' '),
      );
    }
  });

  it('quotes the words AND, OR and NOT so they are searched, not applied', () => {
    expect(soslSearchTerm('Smith and Jones')).toBe('Smith "and" Jones*');
    expect(soslSearchTerm('not OR')).toBe('"not" "OR"');
  });

  it('finds as the user types: a wildcard after the last word of two letters or more', () => {
    expect(soslSearchTerm('acm')).toBe('acm*');
    expect(soslSearchTerm("o'brien")).toBe("o\\'brien*");
    expect(soslSearchTerm('acme & co')).toBe('acme \\& co*');
    expect(soslSearchTerm('smith j')).toBe('smith j');
    expect(soslSearchTerm('star*')).toBe('star\\*');
  });

  it('asks nothing for text with fewer than two letters or digits', () => {
    for (const text of ['', ' ', 'a', '*', '?!', '{}', '"-"', '\\', 'a ?', SOSL_RESERVED]) {
      expect(soslSearchTerm(text)).toBeUndefined();
      expect(buildSearchSosl(text, 20)).toBeUndefined();
    }
    expect(soslSearchTerm('ab')).toBe('ab*');
    expect(soslSearchTerm('é1')).toBe('é1*');
  });

  it("folds spaces and control characters and stays within the launcher's length", () => {
    expect(soslSearchTerm('  acme\t\n co\u200b  ')).toBe('acme co*');
    const long = soslSearchTerm('x'.repeat(5000)) ?? '';
    expect(long.length).toBeLessThanOrEqual(201);
  });

  it('builds the statement with the four objects and a row limit SOSL accepts', () => {
    expect(buildSearchSosl('acme', 20)).toBe(
      'FIND {acme*} IN ALL FIELDS RETURNING Lead(Id, Name, Company, Email, Status), Contact(Id, Name, Email, Phone, Account.Name), Account(Id, Name, Phone, BillingCity), Opportunity(Id, Name, StageName, Amount, Account.Name) LIMIT 20',
    );
    expect(buildSearchSosl('acme', 5000)).toMatch(/ LIMIT 2000$/);
    expect(buildSearchSosl('acme', 0)).toMatch(/ LIMIT 1$/);
  });
});
