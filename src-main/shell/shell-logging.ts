import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { createFileLogger, createLogger, type FileLogger } from '../logging/create-logger';
import { installCrashHandler, type ProcessEvents } from './crash-handler';
import type { ElectronApi } from './electron-api';

/** The desktop app's logging: the logger, its folder, and how to open and close it. */
export interface ShellLogging {
  readonly logger: Logger;
  /** `<data folder>/logs`. */
  readonly logDir: string;
  /** Opens the log folder in the file manager (Settings > General > "Open logs"). */
  openLogFolder(): Promise<{ opened: boolean; path: string }>;
}

/**
 * Starts the desktop app's log (stderr and a rotating file in the data folder, both masked) and
 * its crash handler on `processEvents`. A log folder that cannot be written (a read-only or full
 * disk) must not stop the app: it then logs to stderr only, and says so there. Nothing is closed
 * at quit: the file is written synchronously (log-file.ts), and failures while quitting are still
 * caught and logged.
 */
export async function startShellLogging(
  electron: Pick<ElectronApi, 'dialog' | 'shell'>,
  config: Pick<AppConfig, 'dataDir' | 'logLevel'>,
  processEvents: ProcessEvents,
): Promise<ShellLogging> {
  const logDir = join(config.dataDir, 'logs');
  const file: FileLogger = await createFileLogger({ level: config.logLevel, dir: logDir }).catch(
    (error: unknown) => {
      const stderrOnly = createLogger({ level: config.logLevel });
      stderrOnly.error(
        { err: error, logDir },
        'cannot write the log folder; logging to stderr only',
      );
      return { logger: stderrOnly, dir: logDir, close: () => Promise.resolve() };
    },
  );
  const { logger } = file;
  installCrashHandler({ events: processEvents, electron, logger, logDir });
  return {
    logger,
    logDir,
    openLogFolder: async () => {
      // shell.openPath answers an error message, or '' when the folder opened
      // (https://www.electronjs.org/docs/latest/api/shell#shellopenpathpath).
      const failure = await electron.shell.openPath(logDir);
      if (failure) logger.warn({ logDir, failure }, 'could not open the log folder');
      return { opened: !failure, path: logDir };
    },
  };
}
