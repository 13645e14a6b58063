import type { ElectronApi } from './electron-api';

/**
 * Workstation's AppUserModelID on Windows. It equals `appId` in electron-builder.yml, which the
 * installers give the Start-menu shortcut (a test keeps the two equal).
 */
export const APP_USER_MODEL_ID = 'com.workstation.launcher';

/**
 * Windows shows an app's notifications (the shortcut warning, an update ready to install) only when
 * the running process carries the same AppUserModelID as its Start-menu shortcut.
 * https://www.electronjs.org/docs/latest/tutorial/notifications#windows
 */
export function applyAppUserModelId(
  app: Pick<ElectronApi['app'], 'setAppUserModelId'>,
  platform: NodeJS.Platform = process.platform,
): void {
  if (platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
}
