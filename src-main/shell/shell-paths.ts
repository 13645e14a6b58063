import { join } from 'node:path';

/** Files the shell loads, relative to the app root (the project dir in development, the asar when packaged). */
export interface ShellPaths {
  readonly preload: string;
  readonly indexHtml: string;
  readonly trayIcon: string;
}

/** Resolves the shell's files under `appRoot` (what `app.getAppPath()` answers). */
export function shellPaths(
  appRoot: string,
  platform: NodeJS.Platform = process.platform,
): ShellPaths {
  return {
    preload: join(appRoot, 'dist', 'preload', 'preload.cjs'),
    indexHtml: join(appRoot, 'dist', 'renderer', 'index.html'),
    trayIcon: join(appRoot, 'assets', platform === 'darwin' ? 'trayTemplate.png' : 'tray.png'),
  };
}
