import type { MenuItemConstructorOptions, Tray } from 'electron';
import type { ElectronApi } from './electron-api';

/** What the tray menu can ask the app to do. */
export interface TrayActions {
  open(): void;
  settings(): void;
  quit(): void;
}

/** The tray / menu-bar menu: Open, Settings, Quit. */
export function trayMenuTemplate(actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { label: 'Open Workstation', click: () => actions.open() },
    { label: 'Settings…', click: () => actions.settings() },
    { type: 'separator' },
    { label: 'Quit Workstation', role: 'quit', click: () => actions.quit() },
  ];
}

/**
 * Creates the tray icon. On macOS the icon is a template image (it follows the menu bar's light or
 * dark look); elsewhere a left click toggles the launcher, as users of tray apps expect.
 */
export function createTray(
  electron: Pick<ElectronApi, 'Tray' | 'Menu' | 'nativeImage'>,
  iconPath: string,
  actions: TrayActions & { toggle(): void },
  platform: NodeJS.Platform = process.platform,
): Tray {
  const image = electron.nativeImage.createFromPath(iconPath);
  if (platform === 'darwin') image.setTemplateImage(true);
  const tray = new electron.Tray(image);
  tray.setToolTip('Workstation');
  tray.setContextMenu(electron.Menu.buildFromTemplate(trayMenuTemplate(actions)));
  if (platform !== 'darwin') tray.on('click', () => actions.toggle());
  return tray;
}
