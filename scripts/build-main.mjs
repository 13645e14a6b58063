// Bundles the Electron main process and the preload with esbuild.
// Main targets Node 22 (what Electron 45 embeds); the preload runs sandboxed, so it must be one
// self-contained file that requires nothing but electron.
import { build } from 'esbuild';
import { statSync } from 'node:fs';

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

await build({
  ...common,
  ...importMeta,
  entryPoints: ['src-main/shell/main.ts'],
  outfile: 'dist/main/main.cjs',
  // Native modules load from node_modules at run time (packaged: unpacked from the asar).
  external: ['electron', '@github/keytar', 'better-sqlite3'],
});

await build({
  ...common,
  entryPoints: ['src-main/preload/preload.ts'],
  outfile: 'dist/preload/preload.cjs',
  external: ['electron'],
});

for (const file of ['dist/main/main.cjs', 'dist/preload/preload.cjs']) {
  console.log(`${file}  ${(statSync(file).size / 1024).toFixed(1)} KiB`);
}
