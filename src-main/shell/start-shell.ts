import type { IpcMainInvokeEvent } from 'electron';
import type { Settings } from '../../src-shared/domain/settings';
import { createAppServices, type AppServices } from '../app/create-app-services';
import { defaultDataDir, loadAppConfig, type AppConfig } from '../config/app-config';
import { createLogger } from '../logging/create-logger';
import { demoBanner, demoIdentity, startDemoStack } from '../web-host/demo-stack';
import type { ElectronApi } from './electron-api';
import { HotkeyManager, hotkeyFailureMessage } from './hotkey-manager';
import { bindContract, forwardEvents } from './ipc-binding';
import { LauncherWindow } from './launcher-window';
import { isOwnPage } from './security';
import type { ShellPaths } from './shell-paths';
import { createTray } from './tray';

/** The running shell, for tests and for quitting. */
export interface Shell {
  readonly launcher: LauncherWindow;
  readonly hotkeys: HotkeyManager;
  readonly services: AppServices;
}

/**
 * The Electron composition root: one instance, a pre-warmed hidden launcher, the tray, the global
 * shortcut and the IPC binding of the contract. Returns undefined in a second instance, which hands
 * over to the first (it shows its launcher) and quits.
 */
export async function startShell(
  electron: ElectronApi,
  paths: ShellPaths,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Shell | undefined> {
  const { app } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }
  // The second instance may knock before the window exists; it is shown once it does.
  const ready: { launcher?: LauncherWindow } = {};
  app.on('second-instance', () => ready.launcher?.show());
  // A launcher lives in the tray: closing its window must not quit the app.
  app.on('window-all-closed', () => undefined);

  await app.whenReady();
  if (process.platform === 'darwin') app.dock?.hide();

  const environment = app.isPackaged ? 'production' : 'development';
  let config: AppConfig = loadAppConfig(env, {
    environment,
    dataDir:
      env.WORKSTATION_DATA_DIR ??
      (app.isPackaged ? app.getPath('userData') : defaultDataDir(environment)),
  });
  const logger = createLogger({ level: config.logLevel });
  // Without a configured tenant, development builds run the embedded demo tenant, as npm run web does.
  if (
    !config.identity &&
    config.mode === 'demo' &&
    !app.isPackaged &&
    env.WORKSTATION_DEMO !== 'off'
  ) {
    const demo = await startDemoStack(`${config.dataDir}/demo`, {
      nodeExecutable: env.WORKSTATION_NODE ?? 'node',
    });
    config = { ...config, identity: demoIdentity(demo.stack) };
    app.on('will-quit', () => void demo.stop());
    // `npm start` shows the terminal: where the demo's admin endpoint and CA are.
    process.stdout.write(demoBanner(demo.stack));
  }
  // `manager` is created below; app:info only asks once the renderer runs.
  const services = createAppServices(
    config,
    {
      host: 'electron',
      version: app.getVersion(),
      hotkeyRegistered: () => manager.registered,
      openBrowser: (url) => electron.shell.openExternal(url),
      hideLauncher: () => ready.launcher?.hide(),
    },
    logger,
  );

  const window = new LauncherWindow(electron, paths);
  ready.launcher = window;
  const isTrustedSender = (event: IpcMainInvokeEvent) =>
    event.sender === window.webContents &&
    isOwnPage(event.senderFrame?.url ?? '', window.rendererUrl);
  const unbind = bindContract(electron.ipcMain, services.dispatch, isTrustedSender);
  const unforward = forwardEvents(services.events, () => window.webContents);

  const tray = createTray(electron, paths.trayIcon, {
    open: () => window.show(),
    settings: () => window.showSettings(),
    quit: () => app.quit(),
    toggle: () => window.toggle(),
  });

  const notifyFailure = (accelerator: string) => {
    const body = hotkeyFailureMessage(accelerator);
    tray.setToolTip(`Workstation (shortcut ${accelerator} unavailable)`);
    if (electron.Notification.isSupported())
      new electron.Notification({ title: 'Workstation shortcut unavailable', body }).show();
    else
      void electron.dialog.showMessageBox({
        type: 'warning',
        title: 'Workstation',
        message: 'Shortcut unavailable',
        detail: body,
      });
  };
  const manager = new HotkeyManager(electron.globalShortcut, () => window.toggle(), notifyFailure);
  if (manager.apply((await services.settings.get()).hotkey)) tray.setToolTip('Workstation');

  services.events.subscribe((event, payload) => {
    if (event !== 'settings:didChange') return;
    const { hotkey } = payload as Settings;
    if (hotkey !== manager.current && manager.apply(hotkey)) tray.setToolTip('Workstation');
  });

  app.on('will-quit', () => {
    manager.dispose();
    unbind();
    unforward();
    void services.dispose();
  });
  return { launcher: window, hotkeys: manager, services };
}
