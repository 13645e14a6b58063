import type * as Electron from 'electron';

/**
 * The parts of the electron module the shell uses. Every shell module takes what it needs from
 * this object instead of importing electron, so the shell is unit-tested against a fake
 * (Electron's binary cannot be downloaded in CI).
 */
export type ElectronApi = Pick<
  typeof Electron,
  | 'app'
  | 'BrowserWindow'
  | 'globalShortcut'
  | 'Tray'
  | 'Menu'
  | 'nativeImage'
  | 'ipcMain'
  | 'screen'
  | 'Notification'
  | 'dialog'
  | 'shell'
  | 'protocol'
>;
