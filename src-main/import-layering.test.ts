import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
const sourceDirs = [
  'src-shared',
  'src-dev-tls',
  'src-node-shared',
  'src-main',
  'src-renderer',
  'src-tokenstore',
  'src-sandbox',
  'bench',
  'e2e',
];

function* sourceFiles(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|tsx|mts|cts)$/.test(name)) yield path;
  }
}

const importsElectron = /(?:from\s+|import\s*\(\s*|require\(\s*)['"]electron(?:\/[^'"]*)?['"]/;

// The lint rule enforces this too; this test holds even if someone silences the linter, and it is
// what lets main's services run (and be tested) in plain Node and behind the web host.
describe('import layering', () => {
  it('imports electron only in src-main/shell and src-main/preload', () => {
    const offenders: string[] = [];
    for (const dir of sourceDirs) {
      for (const file of sourceFiles(join(root, dir))) {
        const path = relative(root, file);
        // This file quotes the forms it detects, so it would flag itself.
        if (
          path.startsWith('src-main/shell/') ||
          path.startsWith('src-main/preload/') ||
          path === 'src-main/import-layering.test.ts'
        )
          continue;
        if (importsElectron.test(readFileSync(file, 'utf8'))) offenders.push(path);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('detects the import forms it looks for', () => {
    // Built from parts so this file does not itself read as an electron import to other tools.
    const name = ['elec', 'tron'].join('');
    expect(importsElectron.test(`import { app } from '${name}';`)).toBe(true);
    expect(importsElectron.test(`const { app } = require("${name}")`)).toBe(true);
    expect(importsElectron.test(`await import('${name}/main')`)).toBe(true);
    expect(importsElectron.test(`import x from '${name}-builder'`)).toBe(false);
  });
});
