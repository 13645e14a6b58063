import type { App } from 'electron';
import { applyLinuxAutostart, type LinuxAutostartTarget } from './linux-autostart';

/**
 * Makes the OS start Workstation at login, or not, as the "Open at login" setting says. Only a
 * packaged app registers: in development the entry would start the bare Electron binary. macOS and
 * Windows use Electron's login item (written only on a difference, so a start does not rewrite the
 * OS's entry every time); Linux the desktop's autostart folder.
 * https://www.electronjs.org/docs/latest/api/app#appsetloginitemsettingssettings-macos-windows
 */
export async function applyOpenAtLogin(
  app: Pick<App, 'setLoginItemSettings' | 'getLoginItemSettings' | 'isPackaged'>,
  openAtLogin: boolean,
  platform: NodeJS.Platform,
  linux: LinuxAutostartTarget,
): Promise<boolean> {
  if (!app.isPackaged) return false;
  if (platform === 'linux') {
    await applyLinuxAutostart(openAtLogin, linux);
    return true;
  }
  if (platform !== 'darwin' && platform !== 'win32') return false;
  if (app.getLoginItemSettings().openAtLogin !== openAtLogin)
    app.setLoginItemSettings({ openAtLogin });
  return true;
}
