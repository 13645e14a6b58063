import { join } from 'node:path';

/** Files the shell loads, relative to the app root (the project dir in development, the asar when packaged). */
export interface ShellPaths {
  readonly preload: string;
  /** The built renderer folder, served as `app://workstation/`. */
  readonly rendererDir: string;
  readonly trayIcon: string;
}

/** Resolves the shell's files under `appRoot` (what `app.getAppPath()` answers). */
export function shellPaths(
  appRoot: string,
  platform: NodeJS.Platform = process.platform,
): ShellPaths {
  return {
    preload: join(appRoot, 'dist', 'preload', 'preload.cjs'),
    rendererDir: join(appRoot, 'dist', 'renderer'),
    trayIcon: join(appRoot, 'assets', platform === 'darwin' ? 'trayTemplate.png' : 'tray.png'),
  };
}
