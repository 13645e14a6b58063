import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractAll } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAppContents, type AppContents } from './app-contents';
import {
  prepareScanTree,
  reviewedAs,
  reviewedFindings,
  scanWithElectronegativity,
} from './electron-scan';
import { packLinuxDir, writeStandInElectron } from './pack-app';
import { stageApp } from './stage-app';

const root = fileURLToPath(new URL('../../', import.meta.url));
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const electronVersion = (
  JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as {
    version: string;
  }
).version;

/** The size budget of the app's own files, before Electron itself. */
const BUDGET_BYTES = 5_000_000;

/**
 * The desktop app as electron-builder packages it: the project is built into a temporary copy and
 * packaged with electron-builder's API and electron-builder.yml, for Linux as an unpacked folder.
 * Electron comes from ELECTRON_DIST when set (a real distribution: fuses are flipped too), else
 * from a stand-in, since Electron cannot be downloaded here.
 */
describe('the packaged desktop app', () => {
  const work = mkdtempSync(join(tmpdir(), 'ws-pack-'));
  let contents: AppContents;
  let appDir: string;

  beforeAll(async () => {
    const projectDir = join(work, 'project');
    await stageApp(root, projectDir);
    const electronDist =
      process.env.ELECTRON_DIST ?? (await writeStandInElectron(join(work, 'electron')));
    const resources = await packLinuxDir({
      projectDir,
      outDir: join(work, 'out'),
      electronDist,
      standIn: process.env.ELECTRON_DIST === undefined,
    });
    contents = readAppContents(resources);
    appDir = join(work, 'app');
    extractAll(join(resources, 'app.asar'), appDir);
    const megabytes = (bytes: number) => (bytes / 1e6).toFixed(2);
    console.log(
      `packaged app: ${contents.files.length} files, ${contents.packages.length} package(s); ` +
        `app.asar ${megabytes(contents.asarBytes)} MB + unpacked ${megabytes(contents.unpackedBytes)} MB`,
    );
  }, 240_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const paths = () => contents.files.map((file) => file.path);

  it('holds the main, preload and renderer bundles and the tray icons', () => {
    expect(paths()).toEqual(
      expect.arrayContaining([
        'package.json',
        'dist/main/main.cjs',
        'dist/preload/preload.cjs',
        'dist/renderer/index.html',
        'assets/tray.png',
        'assets/trayTemplate.png',
      ]),
    );
    expect(paths().some((path) => /^dist\/renderer\/assets\/index-.*\.js$/.test(path))).toBe(true);
  });

  it("keeps keytar's native addon unpacked, for the target platform only", () => {
    const addons = contents.files.filter((file) => file.path.endsWith('.node'));
    expect(addons.map((file) => [file.path, file.unpacked])).toEqual([
      ['node_modules/@github/keytar/prebuilds/linux-x64/keytar.node', true],
    ]);
  });

  // The package is for Linux x64: its addon loads only on such a machine.
  it.runIf(process.platform === 'linux' && process.arch === 'x64')(
    "loads keytar from the packaged files (N-API: Electron's addon loads in Node too)",
    () => {
      const keytar = createRequire(join(appDir, 'package.json'))('@github/keytar') as {
        getPassword: unknown;
      };
      expect(typeof keytar.getPassword).toBe('function');
    },
  );

  it("carries no package but package.json's dependencies: no server code", () => {
    const declared = Object.keys(packageJson.dependencies).map((name) => `node_modules/${name}`);
    expect(contents.packages.filter((path) => !declared.includes(path))).toEqual([]);
    for (const server of [
      'fastify',
      '@fastify/static',
      '@fastify/rate-limit',
      'better-sqlite3',
      'pg',
      'pino',
      'pino-roll',
      'node-forge',
      'jose',
      'react',
      'react-dom',
    ]) {
      expect(paths().filter((path) => path.includes(`node_modules/${server}/`))).toEqual([]);
    }
  });

  it("has main load at run time only Node's built-ins, electron and package.json's dependencies", () => {
    const main = readFileSync(join(appDir, 'dist/main/main.cjs'), 'utf8');
    const loaded = new Set(
      [
        ...main.matchAll(/\brequire\("([^"]+)"\)/g),
        // keytar is loaded through createRequire (src-main/secrets/keytar-secret-store.ts).
        ...main.matchAll(/createRequire\)?\([^()]*\)\("([^"]+)"\)/g),
      ].map((match) => match[1] ?? ''),
    );
    const dependencies = Object.keys(packageJson.dependencies);
    const allowed = new Set(['electron', ...dependencies]);
    expect([...loaded].filter((name) => !isBuiltin(name) && !allowed.has(name))).toEqual([]);
    // and a dependency main no longer loads is dead weight in the app.
    expect(dependencies.filter((name) => !loaded.has(name))).toEqual([]);
  });

  it('carries no source map, no test file and no C or C++ source', () => {
    expect(paths().filter((path) => path.endsWith('.map'))).toEqual([]);
    expect(
      paths().filter(
        (path) =>
          /\.(test|spec)\.[cm]?[jt]sx?$/.test(path) || /(^|\/)(test|tests|__tests__)\//.test(path),
      ),
    ).toEqual([]);
    expect(paths().filter((path) => /\.(c|cc|cpp|cxx|h|hh|hpp|gyp|gypi)$/.test(path))).toEqual([]);
  });

  it('stays under 5 MB before Electron itself', () => {
    expect(contents.asarBytes + contents.unpackedBytes).toBeLessThan(BUDGET_BYTES);
  });

  it('passes Electronegativity with no finding but the reviewed ones', async () => {
    const scanDir = join(work, 'scan');
    const scanned = await prepareScanTree(appDir, scanDir);
    expect(scanned).toEqual(
      expect.arrayContaining(['dist/main/main.js', 'dist/preload/preload.js']),
    );
    const result = await scanWithElectronegativity(scanDir, electronVersion);
    // A file it could not parse would be a file it did not scan.
    expect(result.errors.filter((error) => !error.tolerable)).toEqual([]);
    const unreviewed = result.issues.filter((issue) => !reviewedAs(issue));
    expect(
      unreviewed.map(
        (issue) => `${issue.id} ${issue.file}:${issue.location.line} ${issue.description}`,
      ),
    ).toEqual([]);
    const stale = reviewedFindings.filter(
      (reviewed) => !result.issues.some((issue) => reviewedAs(issue) === reviewed),
    );
    expect(stale).toEqual([]);
  }, 180_000);
});
