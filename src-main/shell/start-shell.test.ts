import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nodePolicyReaderDeps } from '../config/policy-reader-deps';
import { policyLocations } from '../config/policy-sources';
import { ManualClock } from '../integrations/test/manual-clock';
import { startShell, type Shell, type ShellOptions } from './start-shell';
import { createFakeElectron, FakeBrowserWindow, FakeWebContents } from './test/fake-electron';

const OWN_PAGE = 'app://workstation/index.html';

/** This test's own policy file (none by default) and its own process events, not the runner's. */
const isolated = (policy?: unknown, processEvents = new EventEmitter()): ShellOptions => ({
  processEvents,
  policy: {
    ...nodePolicyReaderDeps,
    platform: 'linux',
    readText: (path) =>
      path === policyLocations.linux
        ? Promise.resolve(policy === undefined ? undefined : JSON.stringify(policy))
        : nodePolicyReaderDeps.readText(path),
  },
});
const trusted = (window: FakeBrowserWindow) => ({
  sender: window.webContents,
  senderFrame: { url: OWN_PAGE },
});

describe('startShell', () => {
  const dirs: string[] = [];
  let shell: Shell | undefined;
  afterEach(async () => {
    shell?.reminders.stop();
    await shell?.services.dispose();
    shell = undefined;
    dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  });
  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-shell-'));
    dirs.push(dir);
    return dir;
  };
  const env = (extra: NodeJS.ProcessEnv = {}) => ({
    WORKSTATION_DATA_DIR: scratch(),
    WORKSTATION_LOG_LEVEL: 'silent',
    WORKSTATION_DEMO: 'off',
    ...extra,
  });
  const paths = () => {
    const rendererDir = join(scratch(), 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Workstation</title>');
    return {
      preload: '/app/dist/preload/preload.cjs',
      rendererDir,
      trayIcon: '/app/assets/tray.png',
    };
  };
  const environment = (platform: NodeJS.Platform = 'linux') => {
    const clock = new ManualClock(Date.parse('2026-11-30T09:00:00Z'));
    return { ...isolated(), platform, now: clock.now, schedule: clock.schedule };
  };
  const invoke = (
    fake: ReturnType<typeof createFakeElectron>,
    channel: string,
    input: unknown = {},
    frameUrl = OWN_PAGE,
  ) =>
    fake.ipcHandlers.get(channel)!(
      { sender: FakeBrowserWindow.instances[0]!.webContents, senderFrame: { url: frameUrl } },
      input,
    );

  it('starts in order: lock, privileged scheme, ready, protocol handler, window, tray, shortcut', async () => {
    const fake = createFakeElectron();
    shell = await startShell(fake.electron, paths(), env(), environment());
    expect(fake.calls).toEqual([
      'requestSingleInstanceLock',
      'protocol.registerSchemesAsPrivileged',
      'whenReady',
      'protocol.handle app',
      'new BrowserWindow',
      `loadURL ${OWN_PAGE}`,
      'new Tray',
      'globalShortcut.register CommandOrControl+Shift+E',
    ]);
    expect(fake.schemes).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
  });

  it('macOS: hides the dock before the launcher exists, which then shows over full-screen apps', async () => {
    const fake = createFakeElectron();
    shell = await startShell(fake.electron, paths(), env(), environment('darwin'));
    expect(fake.calls.indexOf('dock.hide')).toBeGreaterThan(fake.calls.indexOf('whenReady'));
    expect(fake.calls.indexOf('dock.hide')).toBeLessThan(fake.calls.indexOf('new BrowserWindow'));
    expect(FakeBrowserWindow.instances[0]?.visibleOnAllWorkspaces).toMatchObject({ visible: true });
  });

  it('serves the renderer folder on app://workstation and nothing outside it', async () => {
    const fake = createFakeElectron();
    shell = await startShell(fake.electron, paths(), env(), environment());
    const handle = fake.protocolHandlers.get('app')!;
    const page = await handle(new Request(OWN_PAGE));
    expect([page.status, await page.text()]).toEqual([
      200,
      '<!doctype html><title>Workstation</title>',
    ]);
    expect((await handle(new Request('app://workstation/..%2F..%2Fetc%2Fpasswd'))).status).toBe(
      404,
    );
  });

  it('starts with a hidden launcher, a tray and the hotkey, all wired to the contract', async () => {
    const fake = createFakeElectron();
    shell = await startShell(fake.electron, paths(), env(), environment());
    const window = FakeBrowserWindow.instances[0]!;
    expect(window.visible).toBe(false);
    expect(fake.trays).toHaveLength(1);
    expect([...fake.globalShortcut.registered.keys()]).toEqual(['CommandOrControl+Shift+E']);
    expect(fake.trays[0]?.tooltip).toBe('Workstation');

    fake.globalShortcut.registered.get('CommandOrControl+Shift+E')?.();
    expect(window.visible).toBe(true);

    expect(await invoke(fake, 'app:info')).toMatchObject({
      ok: true,
      value: { host: 'electron', hotkeyRegistered: true, hotkey: 'CommandOrControl+Shift+E' },
    });
  });

  it('trusts IPC by origin: our window on any app://workstation page, nothing else', async () => {
    const fake = createFakeElectron();
    shell = await startShell(fake.electron, paths(), env(), environment());
    expect(await invoke(fake, 'app:info', {}, `${OWN_PAGE}#settings`)).toMatchObject({ ok: true });
    expect(await invoke(fake, 'app:info', {}, 'app://workstation/other.html')).toMatchObject({
      ok: true,
    });
    for (const url of [
      'file:///app/dist/renderer/index.html',
      'app://evil/index.html',
      'https://workstation/',
    ]) {
      expect(await invoke(fake, 'app:info', {}, url)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    const spoofed = await fake.ipcHandlers.get('app:info')!(
      { sender: new FakeWebContents(), senderFrame: { url: OWN_PAGE } },
      {},
    );
    expect(spoofed).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('hardens the launcher through the app-wide guard', async () => {
    const fake = createFakeElectron();
    shell = await startShell(fake.electron, paths(), env(), environment());
    const contents = FakeBrowserWindow.instances[0]!.webContents;
    expect(contents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({
      action: 'deny',
    });
    expect(contents.fire('will-navigate', 'file:///app/dist/renderer/index.html')).toBe(true);
    expect(contents.fire('will-navigate', `${OWN_PAGE}#settings`)).toBe(false);
    expect(fake.session.policyInstalls).toBe(1);
  });

  it('opens in the browser only links that pass the link guard', async () => {
    const fake = createFakeElectron();
    shell = await startShell(fake.electron, paths(), env(), environment());
    for (const url of ['file:///etc/passwd', 'https://evil.example/', 'javascript:alert(1)']) {
      expect(await invoke(fake, 'links:open', { url })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    expect(fake.opened).toEqual([]);
    const join = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting/0';
    expect(await invoke(fake, 'links:open', { url: join })).toMatchObject({
      ok: true,
      value: { opened: true },
    });
    expect(fake.opened).toEqual([join]);
    expect(await shell!.services.openLink(join)).toEqual({ opened: true, url: join });
    await expect(shell!.services.openLink('https://evil.example/')).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('tells the user when the shortcut is taken and keeps the tray working', async () => {
    const fake = createFakeElectron({ shortcutFree: false });
    shell = await startShell(fake.electron, paths(), env(), environment());
    expect(fake.notifications).toEqual([
      {
        title: 'Workstation shortcut unavailable',
        body: expect.stringContaining('used by another app'),
      },
    ]);
    expect(fake.trays[0]?.tooltip).toContain('unavailable');
    const menu = fake.trays[0]?.menu as { template: { label?: string; click?: () => void }[] };
    menu.template.find((item) => item.label === 'Open Workstation')?.click?.();
    expect(FakeBrowserWindow.instances[0]?.visible).toBe(true);
    expect((await invoke(fake, 'app:info')) as { value: object }).not.toHaveProperty(
      'value.hotkeyProblem',
    );
  });

  it('Wayland: turns the global-shortcuts portal on before ready and says when the compositor refuses', async () => {
    const fake = createFakeElectron({ shortcutFree: false });
    shell = await startShell(
      fake.electron,
      paths(),
      env({ XDG_SESSION_TYPE: 'wayland' }),
      environment('linux'),
    );
    expect(fake.app.switches).toEqual([['enable-features', 'GlobalShortcutsPortal']]);
    expect(fake.calls.indexOf('appendSwitch enable-features=GlobalShortcutsPortal')).toBeLessThan(
      fake.calls.indexOf('whenReady'),
    );
    expect(await invoke(fake, 'app:info')).toMatchObject({
      ok: true,
      value: {
        hotkeyRegistered: false,
        hotkeyProblem: expect.stringMatching(/Wayland.*did not allow CommandOrControl\+Shift\+E/),
      },
    });
    expect(fake.notifications[0]?.body).toMatch(/Wayland/);

    const x11 = createFakeElectron();
    await startShell(
      x11.electron,
      paths(),
      env({ XDG_SESSION_TYPE: 'x11' }),
      environment('linux'),
    ).then(async (other) => other?.services.dispose());
    expect(x11.app.switches).toEqual([]);
  });

  it('falls back to a dialog where notifications are unsupported', async () => {
    const fake = createFakeElectron({ shortcutFree: false, notificationsSupported: false });
    shell = await startShell(fake.electron, paths(), env(), environment());
    expect(fake.notifications).toEqual([]);
    expect(fake.dialogs).toEqual([
      expect.objectContaining({ detail: expect.stringContaining('used by another app') }),
    ]);
  });

  it('hides the launcher when the renderer asks (Esc on an empty box)', async () => {
    const fake = createFakeElectron();
    shell = await startShell(fake.electron, paths(), env(), environment());
    const window = FakeBrowserWindow.instances[0]!;
    window.show();
    expect(await invoke(fake, 'app:hide')).toEqual({ ok: true, value: { hidden: true } });
    expect(window.visible).toBe(false);
  });

  it('re-registers when the user changes the shortcut in Settings', async () => {
    const fake = createFakeElectron();
    shell = await startShell(fake.electron, paths(), env(), environment());
    await invoke(fake, 'settings:set', { hotkey: 'Alt+Space' });
    expect([...fake.globalShortcut.registered.keys()]).toEqual(['Alt+Space']);
  });

  it('Open at login: a policy that sets it wins over the user and is reported as managed', async () => {
    const fake = createFakeElectron();
    fake.app.isPackaged = true;
    shell = await startShell(fake.electron, paths(), env(), {
      ...environment('win32'),
      ...isolated({ openAtLogin: true }),
    });
    expect(fake.app.loginItems).toEqual([{ openAtLogin: true }]);
    expect(await invoke(fake, 'app:info')).toMatchObject({ value: { openAtLoginPolicy: true } });
    await invoke(fake, 'settings:set', { openAtLogin: false });
    expect(fake.app.loginItems).toEqual([{ openAtLogin: true }]);
  });

  it('Open at login: off by default, follows the setting in a packaged app (login item or autostart entry)', async () => {
    const fake = createFakeElectron();
    fake.app.isPackaged = true;
    const data = env();
    shell = await startShell(fake.electron, paths(), data, environment('win32'));
    expect(fake.app.loginItems).toEqual([]);
    expect(await invoke(fake, 'settings:get')).toMatchObject({
      value: { openAtLogin: false, meetingReminders: true },
    });
    await invoke(fake, 'settings:set', { openAtLogin: true });
    await invoke(fake, 'settings:set', { theme: 'dark' });
    await invoke(fake, 'settings:set', { openAtLogin: false });
    expect(fake.app.loginItems).toEqual([{ openAtLogin: true }, { openAtLogin: false }]);

    // Linux has no Electron login item: the desktop's autostart folder gets an entry.
    const linux = createFakeElectron();
    linux.app.isPackaged = true;
    const config = scratch();
    const other = await startShell(
      linux.electron,
      paths(),
      env({ XDG_CONFIG_HOME: config }),
      environment('linux'),
    );
    const entry = join(config, 'autostart', 'workstation.desktop');
    expect(existsSync(entry)).toBe(false);
    await linux.ipcHandlers.get('settings:set')!(
      { sender: FakeBrowserWindow.instances[0]!.webContents, senderFrame: { url: OWN_PAGE } },
      { openAtLogin: true },
    );
    await vi.waitFor(() => expect(existsSync(entry)).toBe(true));
    expect(linux.app.loginItems).toEqual([]);
    other?.reminders.stop();
    await other?.services.dispose();
  });

  it('registers no login item in development, where it would start the bare Electron binary', async () => {
    const fake = createFakeElectron();
    shell = await startShell(fake.electron, paths(), env(), environment('darwin'));
    await invoke(fake, 'settings:set', { openAtLogin: true });
    expect(fake.app.loginItems).toEqual([]);
  });

  it('hands over to the first instance: a second one quits, the first shows its launcher', async () => {
    const second = createFakeElectron({ primaryInstance: false });
    expect(await startShell(second.electron, paths(), env(), environment())).toBeUndefined();
    expect(second.app.quitCalls).toBe(1);
    expect(second.calls).toEqual(['requestSingleInstanceLock']);

    const first = createFakeElectron();
    shell = await startShell(first.electron, paths(), env(), environment());
    first.app.emit('second-instance');
    expect(FakeBrowserWindow.instances[0]?.visible).toBe(true);
  });

  it('refuses to start on an invalid policy, naming the file and the field', async () => {
    const fake = createFakeElectron();
    await expect(
      startShell(
        fake.electron,
        paths(),
        env(),
        isolated({ tokenStore: { url: 'http://tokenstore.contoso.example' } }),
      ),
    ).rejects.toThrow('/etc/workstation/policy.json: tokenStore.url must be an https URL');
  });

  it('opens the log folder when Settings asks (app:openLogs)', async () => {
    const fake = createFakeElectron();
    const environment = env();
    shell = await startShell(fake.electron, paths(), environment, isolated());
    const answer = await fake.ipcHandlers.get('app:openLogs')!(
      trusted(FakeBrowserWindow.instances[0]!),
      {},
    );
    const logDir = join(environment.WORKSTATION_DATA_DIR, 'logs');
    expect(answer).toEqual({ ok: true, value: { opened: true, path: logDir } });
    expect(fake.openedPaths).toEqual([logDir]);
  });

  it('writes a failure after the start to the log file, masked, and tells the user once', async () => {
    const fake = createFakeElectron({ dialogResponse: 1 });
    const environment = { ...env(), WORKSTATION_LOG_LEVEL: 'fatal' };
    const processEvents = new EventEmitter();
    shell = await startShell(
      fake.electron,
      paths(),
      environment,
      isolated(undefined, processEvents),
    );
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGV4In0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
    processEvents.emit('uncaughtException', new Error(`refresh failed: Bearer ${jwt}`));
    processEvents.emit('uncaughtException', new Error('again'));
    await new Promise((resolve) => setImmediate(resolve));

    expect(fake.dialogs).toEqual([
      expect.objectContaining({ message: 'Workstation hit a problem' }),
    ]);
    const log = readFileSync(
      join(environment.WORKSTATION_DATA_DIR, 'logs', 'workstation.1.log'),
      'utf8',
    );
    expect(log).toContain('refresh failed: Bearer [redacted]');
    expect(log).toContain('again');
    expect(log).not.toContain(jwt);
  });

  it('still starts when the log folder cannot be written', async () => {
    const fake = createFakeElectron();
    const environment = env();
    // A file where the folder should be: no log file can be created under it.
    writeFileSync(join(environment.WORKSTATION_DATA_DIR, 'logs'), 'not a folder');
    shell = await startShell(fake.electron, paths(), environment, isolated());
    expect(FakeBrowserWindow.instances).toHaveLength(1);
  });
});
