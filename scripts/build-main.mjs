// Bundles the Electron main process and the preload with esbuild.
// Main targets Node 22 (what Electron 45 embeds); the preload runs sandboxed, so it must be one
// self-contained file that requires nothing but electron.
// `node scripts/build-main.mjs [--outdir <dir>]` writes <dir>/main and <dir>/preload (default dist).
import { build } from 'esbuild';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' } } });
const outdir = values.outdir;

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  sourcemap: true,
  target: 'node22',
  logLevel: 'warning',
};

// The sources are ES modules and use import.meta.url (createRequire, paths next to the code);
// a CommonJS bundle has no import.meta, so it is defined as the bundle file's own URL.
const importMeta = {
  define: { 'import.meta.url': '__bundleFileUrl' },
  banner: { js: "const __bundleFileUrl = require('node:url').pathToFileURL(__filename).href;" },
};

const mainFile = join(outdir, 'main', 'main.cjs');
const preloadFile = join(outdir, 'preload', 'preload.cjs');

await build({
  ...common,
  ...importMeta,
  entryPoints: ['src-main/shell/main.ts'],
  outfile: mainFile,
  // Everything else main needs is in the bundle, so the packaged app carries no node_modules but
  // these: electron is the runtime itself, and keytar is a native addon that loads from disk
  // (unpacked from the asar). They are the app's only `dependencies` in package.json;
  // scripts/packaging/packaged-app.test.ts keeps the two lists equal.
  external: ['electron', '@github/keytar'],
});

await build({
  ...common,
  entryPoints: ['src-main/preload/preload.ts'],
  outfile: preloadFile,
  external: ['electron'],
});

for (const file of [mainFile, preloadFile]) {
  console.log(`${file}  ${(statSync(file).size / 1024).toFixed(1)} KiB`);
}
