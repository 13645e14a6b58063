import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../config/load-app-config';
import { createAppServices, type AppServices, type HostFacts } from './create-app-services';

describe('app:openLogs', () => {
  const dirs: string[] = [];
  let services: AppServices | undefined;
  afterEach(async () => {
    await services?.ready;
    await services?.dispose();
    dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  });
  const start = (host: HostFacts) => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-open-logs-'));
    dirs.push(dir);
    const config = loadAppConfig({}, { environment: 'test', dataDir: dir });
    services = createAppServices(config, host, pino({ level: 'silent' }));
    return services.dispatch('app:openLogs', {}, { senderId: 'test' });
  };

  it('opens the folder where the host has one (the desktop app)', async () => {
    const opened: string[] = [];
    const answer = await start({
      host: 'electron',
      version: '0.0.0-test',
      hotkeyRegistered: () => true,
      openLogFolder: () => {
        opened.push('/logs');
        return Promise.resolve({ opened: true, path: '/logs' });
      },
    });
    expect(answer).toEqual({ ok: true, value: { opened: true, path: '/logs' } });
    expect(opened).toEqual(['/logs']);
  });

  it('answers that the web host has no log folder', async () => {
    const answer = await start({
      host: 'web',
      version: '0.0.0-test',
      hotkeyRegistered: () => false,
    });
    expect(answer).toEqual({ ok: true, value: { opened: false } });
  });
});

describe('app:visibility', () => {
  let services: AppServices | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'ws-visibility-'));
  afterEach(async () => {
    await services?.ready;
    await services?.dispose();
  });

  it('answers whether any window is shown, and refuses input of another shape with a typed error', async () => {
    const config = loadAppConfig({}, { environment: 'test', dataDir: dir });
    services = createAppServices(
      config,
      { host: 'web', version: '0.0.0-test', hotkeyRegistered: () => false },
      pino({ level: 'silent' }),
    );
    const say = (senderId: string, input: unknown) =>
      services!.dispatch('app:visibility', input, { senderId });
    expect(await say('launcher', { visible: false })).toEqual({
      ok: true,
      value: { anyVisible: false },
    });
    expect(await say('settings-tab', { visible: true })).toEqual({
      ok: true,
      value: { anyVisible: true },
    });
    expect(await say('launcher', { visible: 'no' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    rmSync(dir, { recursive: true, force: true });
  });
});
