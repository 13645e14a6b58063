import { statSync } from 'node:fs';
import { join } from 'node:path';
import { listPackage, statFile } from '@electron/asar';

/** One file of the packaged app, as the asar archive records it. */
export interface AppFile {
  /** Path inside the app, with forward slashes and no leading slash (`dist/main/main.cjs`). */
  readonly path: string;
  readonly size: number;
  /** Kept outside the archive, in app.asar.unpacked (native addons). */
  readonly unpacked: boolean;
}

/** What a packaged app carries besides Electron itself. */
export interface AppContents {
  readonly files: AppFile[];
  /** app.asar's size on disk. */
  readonly asarBytes: number;
  /** The unpacked files' total size. */
  readonly unpackedBytes: number;
  /** The folders of node_modules packages in the app (`node_modules/@github/keytar`). */
  readonly packages: string[];
}

/** Reads `resourcesDir/app.asar` (and what it keeps unpacked) with Electron's own asar library. */
export function readAppContents(resourcesDir: string): AppContents {
  const archive = join(resourcesDir, 'app.asar');
  const files: AppFile[] = [];
  for (const entry of listPackage(archive, { isPack: false })) {
    const path = entry.replace(/\\/g, '/').replace(/^\//, '');
    const stat = statFile(archive, path, false);
    if (!('size' in stat)) continue; // a folder or a link
    files.push({ path, size: stat.size, unpacked: 'unpacked' in stat && stat.unpacked === true });
  }
  const packages = new Set<string>();
  for (const { path } of files) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(path);
    if (match?.[1]) packages.add(match[1]);
  }
  return {
    files,
    asarBytes: statSync(archive).size,
    unpackedBytes: files.filter((file) => file.unpacked).reduce((sum, file) => sum + file.size, 0),
    packages: [...packages].sort(),
  };
}
