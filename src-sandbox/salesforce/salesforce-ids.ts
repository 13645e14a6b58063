import type { SeededRandom } from '../data/seeded-random';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * The 18-character, case-insensitive form of a 15-character record id: three suffix characters,
 * each encoding which of five characters of the id are upper case. The API returns 18-character
 * ids and accepts both forms ("ID" field type,
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/field_types.htm).
 */
export function caseSafeId(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let index = 0; index < 5; index += 1) {
      const char = id15[chunk * 5 + index] ?? '';
      if (char >= 'A' && char <= 'Z') bits |= 1 << index;
    }
    suffix += SUFFIX[bits];
  }
  return id15 + suffix;
}

/** The 18-character id a 15- or 18-character value names, or undefined if it is not an id. */
export function normalizeId(value: string): string | undefined {
  if (!/^[A-Za-z0-9]{15}(?:[A-Z0-5]{3})?$/i.test(value)) return undefined;
  const full = caseSafeId(value.slice(0, 15));
  if (value.length === 18 && value.slice(15).toUpperCase() !== full.slice(15)) return undefined;
  return full;
}

/** A new 18-character id with the object's key prefix (`001` Account, `00T` Task, ...), drawn from `random`. */
export function newId(prefix: string, pod: string, random: SeededRandom): string {
  let body = '';
  for (let index = 0; index < 10; index += 1) body += BASE62[random.int(62)];
  return caseSafeId(`${prefix}${pod}${body}`.slice(0, 15));
}
