import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/create-logger';
import { startAutoUpdates, UPDATE_CHECK_INTERVAL_MS, type Updater } from './auto-updater';
import { createFakeElectron } from './test/fake-electron';

/** electron-updater's AppUpdater as far as the shell drives it: records what it is told. */
class FakeUpdater extends EventEmitter {
  autoDownload = true;
  logger: Updater['logger'] = null;
  feeds: unknown[] = [];
  checks = 0;
  failNext: Error | undefined;
  setFeedURL(options: unknown): void {
    this.feeds.push(options);
  }
  checkForUpdatesAndNotify(): Promise<null> {
    this.checks += 1;
    const failure = this.failNext;
    this.failNext = undefined;
    return failure ? Promise.reject(failure) : Promise.resolve(null);
  }
}

/** setInterval as a test drives it: nothing runs until `tick`. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 1;
  return {
    intervals: [] as number[],
    setInterval(run: () => void, ms: number) {
      this.intervals.push(ms);
      pending.set(next, run);
      return next++;
    },
    clearInterval(handle: unknown) {
      pending.delete(handle as number);
    },
    tick() {
      for (const run of pending.values()) run();
    },
    get active() {
      return pending.size;
    },
  };
}

const feedUrl = 'https://updates.contoso.example/workstation';
const logger = createLogger({ level: 'silent' });

function setUp(options: { packaged: boolean; feedUrl?: string }) {
  const { app } = createFakeElectron();
  app.isPackaged = options.packaged;
  const updater = new FakeUpdater();
  const timers = manualTimers();
  let created = 0;
  const updates = startAutoUpdates({
    app,
    feedUrl: options.feedUrl,
    createUpdater: () => {
      created += 1;
      return updater as unknown as Updater;
    },
    logger,
    timers,
  });
  return { updates, updater, timers, created: () => created };
}

describe('auto-update', () => {
  it('is off in a development build, even with a feed configured', () => {
    const { updates, created } = setUp({ packaged: false, feedUrl });
    expect(updates).toBeUndefined();
    expect(created()).toBe(0);
  });

  it('is off in a packaged app when no feed is configured', () => {
    const { updates, created } = setUp({ packaged: true });
    expect(updates).toBeUndefined();
    expect(created()).toBe(0);
  });

  it('checks the configured feed at start and then on an interval, until stopped', async () => {
    const { updates, updater, timers } = setUp({ packaged: true, feedUrl });
    expect(updates).toBeDefined();
    expect(updater.feeds).toEqual([{ provider: 'generic', url: feedUrl }]);
    await updates?.lastCheck;
    expect(updater.checks).toBe(1);
    expect(timers.intervals).toEqual([UPDATE_CHECK_INTERVAL_MS]);
    timers.tick();
    await updates?.lastCheck;
    expect(updater.checks).toBe(2);
    updates?.stop();
    expect(timers.active).toBe(0);
  });

  it('survives a failed check and an updater error: they are logged, never thrown', async () => {
    const { updates, updater, timers } = setUp({ packaged: true, feedUrl });
    await updates?.lastCheck;
    updater.failNext = new Error('net::ERR_NAME_NOT_RESOLVED');
    timers.tick();
    await expect(updates?.lastCheck).resolves.toBeUndefined();
    // An EventEmitter's 'error' with no listener throws: the shell must listen.
    expect(() => updater.emit('error', new Error('sha512 checksum mismatch'))).not.toThrow();
    expect(updater.logger).not.toBeNull();
  });
});
