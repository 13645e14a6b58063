import type { Row } from '../data/sample-data';
import type { OrderBy } from './query-options';

/** Compares two rows by `$orderby` terms, for a table and for an expanded collection alike. */
export function compareRows(a: Row, b: Row, orderBy: readonly OrderBy[]): number {
  for (const { column, descending } of orderBy) {
    const [x, y] = [a[column] ?? null, b[column] ?? null];
    if (x === y) continue;
    // Nulls sort first ascending, as SQL Server does.
    const order =
      x === null
        ? -1
        : y === null
          ? 1
          : typeof x === 'string' && typeof y === 'string'
            ? x.localeCompare(y, 'en', { sensitivity: 'base' })
            : (x as number) < (y as number)
              ? -1
              : 1;
    if (order !== 0) return descending ? -order : order;
  }
  return 0;
}
