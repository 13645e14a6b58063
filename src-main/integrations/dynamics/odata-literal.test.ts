import { describe, expect, it } from 'vitest';
import { containsLiteral } from './odata-literal';

describe('OData literal for contains()', () => {
  it.each([
    ["O'Brien", "'O''Brien'"],
    ['100%', "'100[%]'"],
    ['a_b', "'a[_]b'"],
    ['[x]', "'[[]x]'"],
    ["'; drop", "'''; drop'"],
  ])('%s -> %s', (text, literal) => {
    expect(containsLiteral(text)).toBe(literal);
  });
});
