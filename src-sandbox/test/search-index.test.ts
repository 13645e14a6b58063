import { describe, expect, it } from 'vitest';
import { generateSampleData, type Row, type SampleData } from '../data/sample-data';
import { runSearch } from '../dataverse/search-api';
import { SearchIndex } from '../dataverse/search-index';
import { RowShaper } from '../dataverse/row-shaper';

// The index only narrows which rows the search checks; what it answers must be exactly the scan's.
describe('relevance search through the word-start index', () => {
  const data = generateSampleData('small', 20261123, 0);
  const tables = data.tables as unknown as Record<string, readonly Row[]>;
  const shaper = new RowShaper(data, () => 'https://org.example');
  const index = new SearchIndex((table) => tables[table] ?? []);
  const owner = (table: string, row: Row, user: Row) =>
    table === 'systemuser' || row._ownerid_value === user.systemuserid;

  const search = (text: string, user: Row, indexed: boolean) =>
    runSearch(
      { search: text, top: 100, count: true },
      (table) => (tables[table] ?? []).filter((row) => owner(table, row, user)),
      shaper,
      'https://org.example',
      indexed
        ? (table, columns, terms) =>
            index.candidates(table, columns, terms, (row) => owner(table, row, user))
        : undefined,
    );

  it('answers the same results, scores and highlights as a scan of every row', () => {
    const users: readonly Row[] = (data as SampleData).tables.systemuser.slice(0, 2);
    const texts = [
      'c',
      'co',
      'contoso',
      'contoso ltd',
      "o'brien",
      'garcía',
      'MÜLLER',
      'a b',
      '-',
      'zzzz',
    ];
    for (const user of users)
      for (const text of texts) expect(search(text, user, true)).toEqual(search(text, user, false));
  });

  it('checks only rows with a word starting with the term, not the whole table', () => {
    const user = data.tables.systemuser[0] as Row;
    const candidates = index.candidates('account', ['name'], ['contoso'], (row) =>
      owner('account', row, user),
    );
    const visible = data.tables.account.filter((row) => owner('account', row, user));
    expect(candidates?.length).toBeGreaterThan(0);
    expect(candidates?.length).toBeLessThan(visible.length);
    expect(candidates?.every((row) => /(^|[\s'’(-])contoso/i.test(String(row.name)))).toBe(true);
  });
});
