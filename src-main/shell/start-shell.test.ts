import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startShell, type Shell } from './start-shell';
import { createFakeElectron, FakeBrowserWindow, FakeWebContents } from './test/fake-electron';

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
    shell = await startShell(fake.electron, paths, env());
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
    shell = await startShell(fake.electron, paths, env());
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
    shell = await startShell(fake.electron, paths, env());
    expect(fake.notifications).toEqual([]);
    expect(fake.dialogs).toEqual([
      expect.objectContaining({ detail: expect.stringContaining('used by another app') }),
    ]);
  });

  it('hides the launcher when the renderer asks (Esc on an empty box)', async () => {
    const fake = createFakeElectron();
    shell = await startShell(fake.electron, paths, env());
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
    shell = await startShell(fake.electron, paths, env());
    const window = FakeBrowserWindow.instances[0]!;
    await fake.ipcHandlers.get('settings:set')!(
      { sender: window.webContents, senderFrame: { url: 'file:///app/dist/renderer/index.html' } },
      { hotkey: 'Alt+Space' },
    );
    expect([...fake.globalShortcut.registered.keys()]).toEqual(['Alt+Space']);
  });

  it('hands over to the first instance: a second one quits, the first shows its launcher', async () => {
    const second = createFakeElectron({ primaryInstance: false });
    expect(await startShell(second.electron, paths, env())).toBeUndefined();
    expect(second.app.quitCalls).toBe(1);

    const first = createFakeElectron();
    shell = await startShell(first.electron, paths, env());
    first.app.emit('second-instance');
    expect(FakeBrowserWindow.instances[0]?.visible).toBe(true);
  });
});
