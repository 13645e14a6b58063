import type { IpcMainInvokeEvent } from 'electron';
import type { Settings } from '../../src-shared/domain/settings';
import { createAppServices, type AppServices } from '../app/create-app-services';
import { defaultDataDir, type AppConfig } from '../config/app-config';
import { loadManagedConfig } from '../config/load-app-config';
import { nodePolicyReaderDeps, type PolicyReaderDeps } from '../config/policy-reader-deps';
import { MeetingReminders } from '../reminders/meeting-reminders';
import { demoBanner, demoIdentity, startDemoStack } from '../web-host/demo-stack';
import { APP_SCHEME, isAppOrigin } from '../../src-shared/app-origin';
import { appSchemePrivileges, createRendererHandler } from './app-protocol';
import type { ProcessEvents } from './crash-handler';
import { applyAppUserModelId } from './app-identity';
import { startAutoUpdates } from './auto-updater';
import type { ElectronApi } from './electron-api';
import { HotkeyManager, hotkeyFailureMessage } from './hotkey-manager';
import { bindContract, forwardEvents } from './ipc-binding';
import { LauncherWindow } from './launcher-window';
import { applyOpenAtLogin } from './login-item';
import { createMeetingNotifier } from './meeting-notification';
import { installWebContentsGuard } from './security';
import { startShellLogging } from './shell-logging';
import type { ShellPaths } from './shell-paths';
import { createTray } from './tray';
import { enableWaylandShortcuts, waylandShortcutProblem } from './wayland-shortcuts';

/** The running shell, for tests and for quitting. */
export interface Shell {
  readonly launcher: LauncherWindow;
  readonly hotkeys: HotkeyManager;
  readonly services: AppServices;
  readonly reminders: MeetingReminders;
}

/** What the shell reads from its surroundings (the OS, the clock); tests pass their own. */
export interface ShellEnvironment {
  readonly platform: NodeJS.Platform;
  readonly now: () => number;
  readonly schedule: (callback: () => void, ms: number) => () => void;
}

const systemEnvironment: ShellEnvironment = {
  platform: process.platform,
  now: () => Date.now(),
  schedule: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

/**
 * What tests replace: the OS the policy is read from, the process whose failures are caught, and
 * the surroundings (platform, clock).
 */
export interface ShellOptions extends Partial<ShellEnvironment> {
  readonly policy?: PolicyReaderDeps & { readonly platform: NodeJS.Platform };
  readonly processEvents?: ProcessEvents;
}

/**
 * The Electron composition root: one instance, the `app://` scheme and the app-wide WebContents
 * guard, a pre-warmed hidden launcher, the tray, the global shortcut, the login item, meeting
 * reminders and the IPC binding of the contract. Returns undefined in a second instance, which
 * hands over to the first (it shows its launcher) and quits.
 */
export async function startShell(
  electron: ElectronApi,
  paths: ShellPaths,
  env: NodeJS.ProcessEnv = process.env,
  options: ShellOptions = {},
): Promise<Shell | undefined> {
  const { app } = electron;
  const environment: ShellEnvironment = {
    platform: options.platform ?? systemEnvironment.platform,
    now: options.now ?? systemEnvironment.now,
    schedule: options.schedule ?? systemEnvironment.schedule,
  };
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }
  // Everything that must happen before `ready` happens here, synchronously.
  const wayland = enableWaylandShortcuts(app, env, environment.platform);
  electron.protocol.registerSchemesAsPrivileged([appSchemePrivileges]);
  installWebContentsGuard(app);
  applyAppUserModelId(app);
  // The second instance may knock before the window exists; it is shown once it does.
  const ready: { launcher?: LauncherWindow } = {};
  app.on('second-instance', () => ready.launcher?.show());
  // A launcher lives in the tray: closing its window must not quit the app.
  app.on('window-all-closed', () => undefined);

  await app.whenReady();
  if (environment.platform === 'darwin') app.dock?.hide();
  electron.protocol.handle(APP_SCHEME, createRendererHandler(paths.rendererDir));

  const mode = app.isPackaged ? 'production' : 'development';
  // The organisation's policy, then the user's config.json, then WORKSTATION_* (README,
  // "Managed configuration"); an invalid value stops the start with a message naming it.
  const loaded = await loadManagedConfig(
    env,
    {
      environment: mode,
      dataDir:
        env.WORKSTATION_DATA_DIR ??
        (app.isPackaged ? app.getPath('userData') : defaultDataDir(mode)),
    },
    options.policy ?? { ...nodePolicyReaderDeps, platform: environment.platform },
  );
  let config: AppConfig = loaded.config;
  const logging = await startShellLogging(electron, config, options.processEvents ?? process);
  const { logger } = logging;
  for (const warning of loaded.warnings) logger.warn(warning);
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
  // A policy's openAtLogin is the organisation's decision: it wins over the user's setting.
  const managedLogin = config.managed.includes('openAtLogin') ? config.openAtLogin : undefined;
  // `manager` is created below; app:info only asks once the renderer runs.
  const services = createAppServices(
    config,
    {
      host: 'electron',
      version: app.getVersion(),
      hotkeyRegistered: () => manager.registered,
      hotkeyProblem: () =>
        wayland && !manager.registered && manager.current
          ? waylandShortcutProblem(manager.current)
          : undefined,
      // Reached only from the auth module's sign-in opener (the configured authority's origin)
      // and from services.openLink (the link guard); nothing else calls openExternal.
      openBrowser: (url) => electron.shell.openExternal(url),
      hideLauncher: () => ready.launcher?.hide(),
      openLogFolder: () => logging.openLogFolder(),
      openAtLoginPolicy: managedLogin,
    },
    logger,
  );

  // Packaged apps with an update feed configured keep themselves up to date (auto-updater.ts).
  const updates = startAutoUpdates({ app, feedUrl: config.updates.feedUrl, logger });

  const window = new LauncherWindow(electron, paths, environment);
  ready.launcher = window;
  // Our window, showing a page of our origin (whatever path or fragment it is on).
  const isTrustedSender = (event: IpcMainInvokeEvent) =>
    event.sender === window.webContents && isAppOrigin(event.senderFrame?.url ?? '');
  const unbind = bindContract(electron.ipcMain, services.dispatch, isTrustedSender);
  const unforward = forwardEvents(services.events, () => window.webContents);

  const tray = createTray(
    electron,
    paths.trayIcon,
    {
      open: () => window.show(),
      settings: () => window.showSettings(),
      quit: () => app.quit(),
      toggle: () => window.toggleFromTray(),
    },
    environment.platform,
  );

  const notifyFailure = (accelerator: string) => {
    const body = wayland ? waylandShortcutProblem(accelerator) : hotkeyFailureMessage(accelerator);
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
  const initial = await services.settings.get();
  if (manager.apply(initial.hotkey)) tray.setToolTip('Workstation');
  const loginItem = (openAtLogin: boolean) =>
    applyOpenAtLogin(app, openAtLogin, environment.platform, {
      env,
      execPath: process.execPath,
    }).catch((error: unknown) => logger.warn({ err: error }, 'Open at login could not be applied'));
  const appliedAtStart = loginItem(managedLogin ?? initial.openAtLogin);

  const reminders = new MeetingReminders({
    meetings: async () => services.accounts.meetings?.list(),
    enabled: async () => (await services.settings.get()).meetingReminders,
    notify: createMeetingNotifier(
      electron,
      (url) => services.openLink(url),
      (error) => logger.warn({ err: error }, 'meeting reminder could not open its Join link'),
      environment.platform,
    ),
    clock: { now: environment.now, schedule: environment.schedule },
    logger,
  });
  // The first read waits for the remembered session (reopened or not), so it is not a failure.
  let quitting = false;
  void services.ready.catch(() => undefined).then(() => (quitting ? undefined : reminders.start()));

  let previous: Settings = initial;
  services.events.subscribe((event, payload) => {
    if (event !== 'settings:didChange') return;
    const next = payload as Settings;
    if (next.hotkey !== manager.current && manager.apply(next.hotkey))
      tray.setToolTip('Workstation');
    if (managedLogin === undefined && next.openAtLogin !== previous.openAtLogin)
      void loginItem(next.openAtLogin);
    if (next.meetingReminders !== previous.meetingReminders) void reminders.refresh();
    previous = next;
  });

  app.on('will-quit', () => {
    quitting = true;
    reminders.stop();
    updates?.stop();
    manager.dispose();
    unbind();
    unforward();
    void services.dispose();
  });
  await appliedAtStart;
  return { launcher: window, hotkeys: manager, services, reminders };
}
