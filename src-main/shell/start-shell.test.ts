import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodePolicyReaderDeps } from '../config/policy-reader-deps';
import { policyLocations } from '../config/policy-sources';
import { startShell, type Shell, type ShellOptions } from './start-shell';
import { createFakeElectron, FakeBrowserWindow, FakeWebContents } from './test/fake-electron';

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
  senderFrame: { url: 'file:///app/dist/renderer/index.html' },
});

const paths = {
  preload: '/app/dist/preload/preload.cjs',
  indexHtml: '/app/dist/renderer/index.html',
  trayIcon: '/app/assets/tray.png',
};

describe('startShell', () => {
  const dirs: string[] = [];
  let shell: Shell | undefined;
  afterEach(async () => {
    await shell?.services.dispose();
    dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  });
  const env = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-shell-'));
    dirs.push(dir);
    return { WORKSTATION_DATA_DIR: dir, WORKSTATION_LOG_LEVEL: 'silent', WORKSTATION_DEMO: 'off' };
  };

  it('starts with a hidden launcher, a tray and the hotkey, all wired to the contract', async () => {
    const fake = createFakeElectron();
    shell = await startShell(fake.electron, paths, env(), isolated());
    const window = FakeBrowserWindow.instances[0]!;
    expect(window.visible).toBe(false);
    expect(fake.trays).toHaveLength(1);
    expect([...fake.globalShortcut.registered.keys()]).toEqual(['CommandOrControl+Shift+E']);
    expect(fake.trays[0]?.tooltip).toBe('Workstation');

    fake.globalShortcut.registered.get('CommandOrControl+Shift+E')?.();
    expect(window.visible).toBe(true);

    const info = await fake.ipcHandlers.get('app:info')!(
      { sender: window.webContents, senderFrame: { url: 'file:///app/dist/renderer/index.html' } },
      {},
    );
    expect(info).toMatchObject({
      ok: true,
      value: { host: 'electron', hotkeyRegistered: true, hotkey: 'CommandOrControl+Shift+E' },
    });
    const spoofed = await fake.ipcHandlers.get('app:info')!(
      {
        sender: new FakeWebContents(),
        senderFrame: { url: 'file:///app/dist/renderer/index.html' },
      },
      {},
    );
    expect(spoofed).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('tells the user when the shortcut is taken and keeps the tray working', async () => {
    const fake = createFakeElectron({ shortcutFree: false });
    shell = await startShell(fake.electron, paths, env(), isolated());
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
  });

  it('falls back to a dialog where notifications are unsupported', async () => {
    const fake = createFakeElectron({ shortcutFree: false, notificationsSupported: false });
    shell = await startShell(fake.electron, paths, env(), isolated());
    expect(fake.notifications).toEqual([]);
    expect(fake.dialogs).toEqual([
      expect.objectContaining({ detail: expect.stringContaining('used by another app') }),
    ]);
  });

  it('hides the launcher when the renderer asks (Esc on an empty box)', async () => {
    const fake = createFakeElectron();
    shell = await startShell(fake.electron, paths, env(), isolated());
    const window = FakeBrowserWindow.instances[0]!;
    window.show();
    const answer = await fake.ipcHandlers.get('app:hide')!(
      { sender: window.webContents, senderFrame: { url: 'file:///app/dist/renderer/index.html' } },
      {},
    );
    expect(answer).toEqual({ ok: true, value: { hidden: true } });
    expect(window.visible).toBe(false);
  });

  it('re-registers when the user changes the shortcut in Settings', async () => {
    const fake = createFakeElectron();
    shell = await startShell(fake.electron, paths, env(), isolated());
    const window = FakeBrowserWindow.instances[0]!;
    await fake.ipcHandlers.get('settings:set')!(
      { sender: window.webContents, senderFrame: { url: 'file:///app/dist/renderer/index.html' } },
      { hotkey: 'Alt+Space' },
    );
    expect([...fake.globalShortcut.registered.keys()]).toEqual(['Alt+Space']);
  });

  it('hands over to the first instance: a second one quits, the first shows its launcher', async () => {
    const second = createFakeElectron({ primaryInstance: false });
    expect(await startShell(second.electron, paths, env(), isolated())).toBeUndefined();
    expect(second.app.quitCalls).toBe(1);

    const first = createFakeElectron();
    shell = await startShell(first.electron, paths, env(), isolated());
    first.app.emit('second-instance');
    expect(FakeBrowserWindow.instances[0]?.visible).toBe(true);
  });

  it('refuses to start on an invalid policy, naming the file and the field', async () => {
    const fake = createFakeElectron();
    await expect(
      startShell(
        fake.electron,
        paths,
        env(),
        isolated({ tokenStore: { url: 'http://tokenstore.contoso.example' } }),
      ),
    ).rejects.toThrow('/etc/workstation/policy.json: tokenStore.url must be an https URL');
  });

  it('opens the log folder when Settings asks (app:openLogs)', async () => {
    const fake = createFakeElectron();
    const environment = env();
    shell = await startShell(fake.electron, paths, environment, isolated());
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
    shell = await startShell(fake.electron, paths, environment, isolated(undefined, processEvents));
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
    shell = await startShell(fake.electron, paths, environment, isolated());
    expect(FakeBrowserWindow.instances).toHaveLength(1);
  });
});
