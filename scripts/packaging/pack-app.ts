import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Arch, build, Platform, type Configuration } from 'electron-builder';

/**
 * A directory standing in for Electron's Linux distribution: one executable named `electron`,
 * which is all electron-builder's `dir` target copies and renames. It lets the packaging steps
 * (file matching, node_modules, asar, unpacking) run where Electron cannot be downloaded; the
 * result is inspected, never run.
 */
export async function writeStandInElectron(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const binary = join(dir, 'electron');
  await writeFile(
    binary,
    '#!/bin/sh\necho "stand-in for Electron: this package is for inspection only" >&2\nexit 1\n',
  );
  await chmod(binary, 0o755);
  return dir;
}

/**
 * Packages the staged project with electron-builder's own API (electron-builder.yml as written),
 * for Linux as an unpacked `dir` target, into `outDir`, with Electron taken from `electronDist`.
 * With a stand-in Electron the fuses are left out: they are flipped inside Electron's binary.
 * Answers the packaged app's resources folder (app.asar and app.asar.unpacked).
 */
export async function packLinuxDir(options: {
  projectDir: string;
  outDir: string;
  electronDist: string;
  standIn: boolean;
}): Promise<string> {
  const config: Configuration = {
    electronDist: options.electronDist,
    directories: { output: options.outDir },
    ...(options.standIn ? { electronFuses: null } : {}),
  };
  await build({
    projectDir: options.projectDir,
    targets: Platform.LINUX.createTarget('dir', Arch.x64),
    config,
    publish: 'never',
  });
  return join(options.outDir, 'linux-unpacked', 'resources');
}
