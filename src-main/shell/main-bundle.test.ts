import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFakeElectron } from './test/fake-electron';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bundle = join(root, 'dist', 'main', 'main.cjs');

/** Node's CommonJS loader, whose `_load` is the documented-by-use seam for a stand-in module. */
const loader = Module as unknown as {
  _load: (request: string, parent: unknown, isMain: boolean) => unknown;
};

describe('the built main bundle (dist/main/main.cjs)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ws-bundle-'));
  const fake = createFakeElectron();
  const savedEnv = { ...process.env };
  const originalLoad = loader._load;

  beforeAll(() => {
    // The bundle Electron would run, built the way `npm run build:main` builds it.
    execFileSync(process.execPath, [join(root, 'scripts', 'build-main.mjs')], { cwd: root });
    mkdirSync(join(scratch, 'dist', 'renderer'), { recursive: true });
    writeFileSync(join(scratch, 'dist', 'renderer', 'index.html'), '<!doctype html>');
    fake.app.getAppPath = () => scratch;
    Object.assign(process.env, {
      WORKSTATION_DATA_DIR: join(scratch, 'data'),
      WORKSTATION_LOG_LEVEL: 'silent',
      WORKSTATION_DEMO: 'off',
    });
    loader._load = function (request, parent, isMain) {
      if (request === 'electron') return fake.module;
      return originalLoad.call(this, request, parent, isMain);
    };
  });

  afterAll(() => {
    fake.app.emit('will-quit');
    loader._load = originalLoad;
    process.env = savedEnv;
    rmSync(scratch, { recursive: true, force: true });
  });

  it('starts in order: lock, privileged scheme, ready, protocol handler, window on app://, tray, shortcut', async () => {
    createRequire(import.meta.url)(bundle);
    await vi.waitFor(
      () => {
        expect(fake.errorBoxes).toEqual([]);
        expect(fake.calls.some((call) => call.startsWith('globalShortcut.register'))).toBe(true);
      },
      { timeout: 20_000, interval: 20 },
    );
    expect(fake.calls).toEqual([
      'requestSingleInstanceLock',
      'protocol.registerSchemesAsPrivileged',
      'whenReady',
      'protocol.handle app',
      'new BrowserWindow',
      'loadURL app://workstation/index.html',
      'new Tray',
      'globalShortcut.register CommandOrControl+Shift+E',
    ]);
    const page = await fake.protocolHandlers.get('app')!(
      new Request('app://workstation/index.html'),
    );
    expect([page.status, await page.text()]).toEqual([200, '<!doctype html>']);
  });
});
