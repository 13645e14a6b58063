import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { integrationCatalog } from '../src-shared/integrations/catalog';

const root = fileURLToPath(new URL('../', import.meta.url));
const layers = ['src-shared', 'src-main', 'src-renderer', 'src-tokenstore'];
const ids = integrationCatalog.map((info) => info.id);

/** Where an integration may be named: its own folders, the lists of them, and the renderer's icons. */
function mayName(path: string, id: string): boolean {
  return (
    path === `src-shared/integrations/${id}.ts` ||
    path.startsWith(`src-main/integrations/${id}/`) ||
    path === 'src-shared/integrations/catalog.ts' ||
    path === 'src-main/integrations/registry.ts' ||
    path === 'src-renderer/src/integrations/integration-icons.tsx'
  );
}

const isTest = (path: string) => /\.test\.tsx?$/.test(path) || /(^|\/)test\//.test(path);

function* sources(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.(ts|tsx)$/.test(name)) yield path;
  }
}

/** Code only: comments may use an id as an example (`dynamics:contoso`) without branching on it. */
const withoutComments = (text: string) =>
  text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

/** A quoted literal that is exactly the id, or starts with `<id>:` / `<id>|` (a namespaced key). */
const literalOf = (id: string) => new RegExp(`(['"\`])${id}(?:[:|][^'"\`]*)?\\1`);

// "No layer branches on an integration's id": adding an integration is one folder and a registry
// line. This holds that rule for production code (tests may name what they test).
describe('literal integration ids', () => {
  it('appear only in their own folders and the registries', () => {
    const offenders: string[] = [];
    for (const layer of layers) {
      for (const file of sources(join(root, layer))) {
        const path = relative(root, file).split('\\').join('/');
        if (isTest(path)) continue;
        const text = withoutComments(readFileSync(file, 'utf8'));
        for (const id of ids)
          if (!mayName(path, id) && literalOf(id).test(text)) offenders.push(`${path}: '${id}'`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('recognises the literal forms it looks for', () => {
    const id = ids[0] ?? 'x';
    expect(literalOf(id).test(`if (integration === '${id}')`)).toBe(true);
    expect(literalOf(id).test(`key = "${id}:contoso"`)).toBe(true);
    expect(literalOf(id).test('const x = `' + id + '|entity`')).toBe(true);
    expect(literalOf(id).test(`const ${id}Descriptor = 1; // ${id} org`)).toBe(false);
    expect(literalOf(id).test(withoutComments(`/** \`${id}:x\` */\nconst a = 1; // '${id}'`))).toBe(
      false,
    );
    expect(
      literalOf(id).test(withoutComments(`const url = 'https://example.com'; const b = '${id}';`)),
    ).toBe(true);
  });
});
