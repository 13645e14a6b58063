import type { App } from 'electron';

/** Where Electron can start the app at login (it has no API for Linux desktops). */
export function loginItemSupported(platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'darwin' || platform === 'win32';
}

/**
 * Makes the OS's login item match the "Open at login" setting. Only a packaged app registers:
 * in development the login item would start the bare Electron binary. It writes only on a
 * difference, so a start does not rewrite the OS's entry every time.
 * https://www.electronjs.org/docs/latest/api/app#appsetloginitemsettingssettings-macos-windows
 */
export function applyOpenAtLogin(
  app: Pick<App, 'setLoginItemSettings' | 'getLoginItemSettings' | 'isPackaged'>,
  openAtLogin: boolean,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (!loginItemSupported(platform) || !app.isPackaged) return false;
  if (app.getLoginItemSettings().openAtLogin === openAtLogin) return true;
  app.setLoginItemSettings({ openAtLogin });
  return true;
}
