import { describe, expect, it } from 'vitest';
import { normalizeQuery, rankScore } from './ranking';

describe('ranking', () => {
  it('orders exact > prefix > word-prefix > contains, then type, then provider score', () => {
    const rows = [
      ['Contoso Ltd', 'account', 1],
      ["Seán O'Brien", 'contact', 9],
      ['obrien', 'lead', 0],
      ['Obrien & Sons', 'account', 0],
      ['Mary Obriens', 'contact', 0],
      ['Kobrien', 'contact', 5],
    ] as const;
    const ordered = [...rows]
      .sort((a, b) => rankScore(b[0], 'obrien', b[1], b[2]) - rankScore(a[0], 'obrien', a[1], a[2]))
      .map((row) => row[0]);
    expect(ordered).toEqual([
      'obrien',
      'Obrien & Sons',
      'Mary Obriens',
      'Kobrien',
      "Seán O'Brien",
      'Contoso Ltd',
    ]);
    expect(rankScore("Seán O'Brien", "o'brien", 'contact', 0)).toBeGreaterThan(
      rankScore('Kobrien', "o'brien", 'contact', 0),
    );
    expect(rankScore('Contoso', 'contoso', 'contact', 0)).toBeGreaterThan(
      rankScore('Contoso', 'contoso', 'lead', 0),
    );
    expect(rankScore('A', 'x', 'contact', 1000)).toBeLessThan(
      rankScore('A', 'x', 'contact', 0) + 1,
    );
  });

  it('normalizes queries for cache keys', () => {
    expect(normalizeQuery('  Contoso   LTD ')).toBe('contoso ltd');
    expect(normalizeQuery('ＣＯＮＴＯＳＯ')).toBe('contoso');
  });
});
