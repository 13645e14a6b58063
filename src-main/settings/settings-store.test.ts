import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src-shared/domain/settings';
import { EventHub } from '../ipc/event-hub';
import { SettingsStore } from './settings-store';

const logger = pino({ level: 'silent' });

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'ws-settings-'));
  const file = join(dir, 'settings.json');
  const hub = new EventHub(logger);
  const seen: unknown[] = [];
  hub.subscribe((event, payload) => seen.push({ event, payload }));
  return { dir, file, store: new SettingsStore(file, hub, logger), seen };
}

describe('SettingsStore', () => {
  it('starts from defaults, persists a patch and announces it', async () => {
    const { file, store, seen } = setup();
    expect(await store.get()).toEqual(defaultSettings);
    const next = await store.set({ theme: 'dark' });
    expect(next.theme).toBe('dark');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ theme: 'dark' });
    expect(seen).toEqual([{ event: 'settings:didChange', payload: next }]);
  });

  it('keeps an unreadable file aside instead of losing it', async () => {
    const { dir, file, store } = setup();
    writeFileSync(file, '{"theme": "neon"}');
    expect(await store.get()).toEqual(defaultSettings);
    const aside = readdirSync(dir).find((name) => name.startsWith('settings.json.unreadable-'));
    expect(aside).toBeDefined();
    expect(readFileSync(join(dir, aside ?? ''), 'utf8')).toContain('neon');
  });
});
