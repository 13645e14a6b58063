import type { BrowserWindowConstructorOptions } from 'electron';

/** Launcher size: room for the search box, results and the two widgets. */
export const LAUNCHER_WIDTH = 760;
export const LAUNCHER_HEIGHT = 520;

/**
 * The launcher window: frameless, created hidden (pre-warmed so the hotkey shows it at once), and
 * locked down: isolated, sandboxed renderer with no Node, only the preload's narrow bridge.
 * https://www.electronjs.org/docs/latest/tutorial/security
 */
export function launcherWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: LAUNCHER_WIDTH,
    height: LAUNCHER_HEIGHT,
    show: false,
    frame: false,
    resizable: false,
    movable: true,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    skipTaskbar: true,
    alwaysOnTop: true,
    center: true,
    backgroundColor: '#1b1d21',
    title: 'Workstation',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  };
}
