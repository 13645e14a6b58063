import * as electronUpdater from 'electron-updater';
import type { AppUpdater } from 'electron-updater';
import type { Logger } from 'pino';
import type { ElectronApi } from './electron-api';

/** The part of electron-updater's AppUpdater the shell drives. */
export type Updater = Pick<
  AppUpdater,
  'setFeedURL' | 'checkForUpdatesAndNotify' | 'autoDownload' | 'logger' | 'on'
>;

/** How often a running app asks the feed again (it also asks once at start). */
export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;

/** Timers as the updater uses them; tests drive them by hand. */
export interface IntervalTimers {
  setInterval(run: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** A running update schedule. */
export interface AutoUpdates {
  /** The most recent check; it never rejects (failures are logged). */
  readonly lastCheck: Promise<void>;
  stop(): void;
}

/**
 * Keeps a packaged app up to date from the admin's feed: electron-updater's "generic" provider, a
 * plain HTTPS folder holding the installers and the latest*.yml files electron-builder writes next
 * to them (https://www.electron.build/auto-update). Checks at start and every few hours, downloads
 * in the background, verifies the download's sha512 (and, on Windows and macOS, its signature)
 * and installs on quit, with the OS notification electron-updater shows.
 * Off in development builds and whenever no feed is configured (`updates.feedUrl`): an update is
 * code the app will run, so nothing is fetched unless an admin said where from.
 */
export function startAutoUpdates(deps: {
  app: Pick<ElectronApi['app'], 'isPackaged'>;
  feedUrl: string | undefined;
  logger: Logger;
  createUpdater?: () => Updater;
  timers?: IntervalTimers;
}): AutoUpdates | undefined {
  const { app, feedUrl, logger } = deps;
  if (!app.isPackaged || !feedUrl) {
    logger.debug(
      { packaged: app.isPackaged, feed: Boolean(feedUrl) },
      'automatic updates are off (development build or no update feed configured)',
    );
    return undefined;
  }
  // electron-updater's autoUpdater is created on first access and needs Electron's app: only here.
  const updater = (deps.createUpdater ?? (() => electronUpdater.autoUpdater))();
  const timers = deps.timers ?? {
    setInterval: (run, ms) => setInterval(run, ms).unref(),
    clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
  };
  updater.logger = {
    info: (message?: unknown) => logger.info({ updater: true }, String(message)),
    warn: (message?: unknown) => logger.warn({ updater: true }, String(message)),
    error: (message?: unknown) => logger.error({ updater: true }, String(message)),
    debug: (message: string) => logger.debug({ updater: true }, message),
  };
  // An EventEmitter's 'error' with no listener throws in main: a bad feed must not crash the app.
  updater.on('error', (error) => logger.warn({ err: error }, 'automatic update failed'));
  updater.autoDownload = true;
  updater.setFeedURL({ provider: 'generic', url: feedUrl });

  const check = (): Promise<void> =>
    updater.checkForUpdatesAndNotify().then(
      () => undefined,
      // The 'error' event above has already logged what went wrong.
      (error: unknown) => logger.debug({ err: error }, 'update check failed'),
    );
  const schedule = {
    lastCheck: check(),
    stop: () => timers.clearInterval(handle),
  };
  const handle = timers.setInterval(() => {
    schedule.lastCheck = check();
  }, UPDATE_CHECK_INTERVAL_MS);
  return schedule;
}
