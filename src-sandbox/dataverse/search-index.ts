import type { Row } from '../data/sample-data';

/** Where relevance search lets a term start: the start of a value, or after a space, apostrophe, parenthesis or hyphen. */
const WORD_BREAK = /[\s'’(-]/u;

/**
 * One table's searched columns, indexed by word start: every lower-cased value from each word start
 * to its end, sorted, so the rows with a word starting with a term are one binary search away
 * instead of a scan of the table (about 100 ms a request on the large sample).
 */
class WordStartIndex {
  readonly #keys: string[] = [];
  readonly #positions: number[] = [];

  constructor(rows: readonly Row[], columns: readonly string[]) {
    const entries: { key: string; position: number }[] = [];
    for (const [position, row] of rows.entries())
      for (const column of columns) {
        const value = row[column];
        if (typeof value !== 'string') continue;
        const lower = value.toLowerCase();
        for (let start = 0; start < lower.length; start += 1)
          if (start === 0 || WORD_BREAK.test(lower[start - 1] ?? ''))
            entries.push({ key: lower.slice(start), position });
      }
    entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const entry of entries) {
      this.#keys.push(entry.key);
      this.#positions.push(entry.position);
    }
  }

  /** Positions of the rows with a word starting with `term` (lower case) in a searched column. */
  positionsOf(term: string): Set<number> {
    let low = 0;
    let high = this.#keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#keys[middle] ?? '') < term) low = middle + 1;
      else high = middle;
    }
    const found = new Set<number>();
    for (let at = low; at < this.#keys.length && this.#keys[at]?.startsWith(term); at += 1)
      found.add(this.#positions[at] ?? 0);
    return found;
  }
}

/**
 * Candidate rows for relevance search, from an index per table built on first use (the searched
 * tables are read-only in the sandbox; a table whose length changed is indexed again). Answers the
 * caller's rows whose words start with every term (lower case, as the search's case-insensitive
 * patterns compare), in table order; the search still checks each candidate with its patterns, so
 * its results and their order are those of a scan.
 */
export class SearchIndex {
  readonly #indexes = new Map<string, { size: number; index: WordStartIndex }>();

  constructor(private readonly tableOf: (table: string) => readonly Row[]) {}

  candidates(
    table: string,
    columns: readonly string[],
    terms: readonly string[],
    canRead: (row: Row) => boolean,
  ): Row[] | undefined {
    // No term (the text was all operators): every row matches, a scan answers that.
    if (terms.length === 0) return undefined;
    const rows = this.tableOf(table);
    const key = `${table} ${columns.join(',')}`;
    let entry = this.#indexes.get(key);
    if (!entry || entry.size !== rows.length) {
      entry = { size: rows.length, index: new WordStartIndex(rows, columns) };
      this.#indexes.set(key, entry);
    }
    const index = entry.index;
    // Every term must match: the intersection of each term's rows, smallest set first.
    const sets = terms.map((term) => index.positionsOf(term)).sort((a, b) => a.size - b.size);
    const [smallest = new Set<number>(), ...others] = sets;
    return [...smallest]
      .filter((position) => others.every((set) => set.has(position)))
      .sort((a, b) => a - b)
      .flatMap((position) => {
        const row = rows[position];
        return row && canRead(row) ? [row] : [];
      });
  }
}
