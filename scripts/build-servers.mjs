// Bundles the three Node command lines (`npm run web`, `npm run sandbox`, `npm run tokenstore`) with
// esbuild, so that they, and the processes they spawn, start on plain `node` with no TypeScript
// compiler at run time. Run by `npm run build`, before each of those scripts, and by the test
// runner before any test (vitest.config.ts), so what is spawned is always built from the sources.
import { build } from 'esbuild';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Each bundle sits two folders below the root, as its source does, so `new URL('../../', import.meta.url)` still names the root. */
export const serverBundles = [
  { entry: 'src-main/web-host/cli.ts', outfile: 'dist/web-host/cli.cjs' },
  { entry: 'src-sandbox/cli.ts', outfile: 'dist/sandbox/cli.cjs' },
  { entry: 'src-tokenstore/cli.ts', outfile: 'dist/tokenstore/cli.cjs' },
];

/** Builds the bundles (about a second each); answers their paths. */
export async function buildServers() {
  await Promise.all(
    serverBundles.map(({ entry, outfile }) =>
      build({
        absWorkingDir: root,
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        sourcemap: true,
        // A third smaller to parse at every start; names stay, so stack traces still name functions.
        minifyWhitespace: true,
        minifySyntax: true,
        logLevel: 'warning',
        // As in scripts/build-main.mjs: the sources are ES modules that use import.meta.url, which a
        // CommonJS bundle lacks, so it is defined as the bundle file's own URL.
        define: { 'import.meta.url': '__bundleFileUrl' },
        banner: {
          js: "const __bundleFileUrl = require('node:url').pathToFileURL(__filename).href;",
        },
        // Native modules load from node_modules at run time; pg-native is pg's optional binding,
        // not installed (pg uses its JavaScript client).
        external: ['@github/keytar', 'better-sqlite3', 'pg-native'],
      }),
    ),
  );
  return serverBundles.map(({ outfile }) => join(root, outfile));
}

/** vitest's globalSetup (vitest.config.ts): tests spawn these bundles, so they are built first. */
export async function setup() {
  await buildServers();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const file of await buildServers()) {
    console.log(`${file.slice(root.length + 1)}  ${(statSync(file).size / 1024).toFixed(1)} KiB`);
  }
}
