// `npm run dist [-- <electron-builder options>]`: packages the built app with electron-builder
// and electron-builder.yml (e.g. `npm run dist -- --linux dir`, `npm run dist -- --win msi`).
// ELECTRON_DIST=<an unpacked Electron, or a folder of its release zips> packages without
// downloading Electron (https://www.electron.build/configuration#electronDist). Where Electron
// cannot be downloaded and ELECTRON_DIST is not set, every other step is still run, with a
// stand-in Electron in a temporary folder, and the outcome is said in one line.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliOptions, Configuration } from 'electron-builder';
import { build, configureBuildCommand, createYargs } from 'electron-builder/out/builder';
import { readAppContents } from './packaging/app-contents';
import { downloadFailure } from './packaging/download-failure';
import { packLinuxDir, writeStandInElectron } from './packaging/pack-app';

const root = process.cwd();
const electronDist = process.env.ELECTRON_DIST;
const parsed = configureBuildCommand(createYargs()).parseSync(process.argv.slice(2)) as CliOptions;
if (electronDist && typeof parsed.config === 'string')
  throw new Error('ELECTRON_DIST cannot be combined with --config <file>; use -c.<option>.');
const args: CliOptions = {
  ...parsed,
  // Publishing is a separate, deliberate step: upload the installers and latest*.yml to the feed.
  publish: parsed.publish ?? 'never',
  ...(electronDist
    ? { config: { ...(parsed.config as Configuration | undefined), electronDist } }
    : {}),
};

try {
  await build(args);
} catch (error) {
  const reason = downloadFailure(error);
  if (!reason) throw error;
  if (electronDist) {
    console.error(
      `Packaging stopped at a download (${reason}): Electron came from ELECTRON_DIST, so this was one of ` +
        "electron-builder's packaging tools (AppImage, fpm, NSIS, WiX); `npm run dist -- --linux dir` needs none.",
    );
    process.exit(1);
  }
  console.error(`Electron could not be downloaded (${reason}); ${await everythingElse()}`);
  process.exit(1);
}

/** Packages the app once more with a stand-in Electron, to tell whether anything else fails. */
async function everythingElse(): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'workstation-dist-'));
  // electron-builder's progress lines for this second run would bury the one line that matters.
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof write;
  try {
    const resources = await packLinuxDir({
      projectDir: root,
      outDir: join(work, 'out'),
      electronDist: await writeStandInElectron(join(work, 'electron')),
      standIn: true,
    });
    const app = readAppContents(resources);
    const megabytes = ((app.asarBytes + app.unpackedBytes) / 1e6).toFixed(1);
    return (
      `every other step passed with a stand-in Electron (the app: ${app.files.length} files, ` +
      `${megabytes} MB); set ELECTRON_DIST to an unpacked Electron or a folder of its release ` +
      'zips to package here.'
    );
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return `packaging with a stand-in Electron failed too: ${message}`;
  } finally {
    process.stdout.write = write;
    await rm(work, { recursive: true, force: true });
  }
}
