import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
/** Every bundle scripts/build-servers.mjs wrote (dist/<name>/bundle.cjs). */
const bundles = readdirSync(join(root, 'dist'))
  .map((name) => join('dist', name, 'bundle.cjs'))
  .filter((file) => existsSync(join(root, file)));

// V8 keeps a script's source for lazy compilation, one byte per character when every character is
// Latin-1 and two otherwise (String::IsOneByte, https://v8.github.io/api/head/classv8_1_1String.html):
// one curly quote anywhere doubles the memory a bundle's source holds in each process. esbuild
// escapes non-ASCII in string literals but not in template literals or regular expressions, so the
// sources write those as \u escapes, and license comments go to bundle.cjs.LEGAL.txt.
describe('server bundles (vitest globalSetup builds them first)', () => {
  it('were built', () => expect(bundles.length).toBeGreaterThanOrEqual(3));
  it.each(bundles)('%s is ASCII only', (outfile) => {
    const text = readFileSync(join(root, outfile), 'utf8');
    const at = text.search(/[\u0080-\uffff]/);
    expect(at === -1 ? '' : text.slice(Math.max(0, at - 60), at + 20)).toBe('');
  });
});
