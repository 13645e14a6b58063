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
