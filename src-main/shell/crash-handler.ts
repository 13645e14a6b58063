import type { Logger } from 'pino';
import type { ElectronApi } from './electron-api';

/** The process events the handler listens to (the real `process`, or an emitter in tests). */
export interface ProcessEvents {
  on(
    event: 'uncaughtException' | 'unhandledRejection',
    listener: (error: unknown) => void,
  ): unknown;
  off(
    event: 'uncaughtException' | 'unhandledRejection',
    listener: (error: unknown) => void,
  ): unknown;
}

export const crashDialog = {
  title: 'Workstation',
  message: 'Workstation hit a problem',
  detail:
    'Something went wrong inside Workstation. It keeps running, but if something misbehaves, quit and start it again. The details are in the log folder; attach its newest file when you report the problem.',
  buttons: ['Open log folder', 'Close'],
} as const;

/**
 * Logs every uncaught exception and unhandled rejection of the main process, and tells the user
 * once, with a dialog that opens the log folder. Once per run: a failure that repeats (a timer,
 * a retry loop) must not stack dialogs; the log keeps every occurrence. Installing a listener
 * replaces Node's default of printing and exiting
 * (https://nodejs.org/api/process.html#event-uncaughtexception) and Electron's own error dialog.
 * Returns the function that removes the listeners.
 */
export function installCrashHandler(options: {
  readonly events: ProcessEvents;
  readonly electron: Pick<ElectronApi, 'dialog' | 'shell'>;
  readonly logger: Logger;
  readonly logDir: string;
}): () => void {
  const { events, electron, logger, logDir } = options;
  let told = false;
  const tell = () => {
    if (told) return;
    told = true;
    electron.dialog
      .showMessageBox({
        type: 'error',
        title: crashDialog.title,
        message: crashDialog.message,
        detail: crashDialog.detail,
        buttons: [...crashDialog.buttons],
        defaultId: 0,
        cancelId: 1,
        noLink: true,
      })
      .then(async ({ response }) => {
        if (response !== 0) return;
        // '' when the folder opened (https://www.electronjs.org/docs/latest/api/shell#shellopenpathpath).
        const failure = await electron.shell.openPath(logDir);
        if (failure) logger.warn({ logDir, failure }, 'could not open the log folder');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'could not show the problem dialog'));
  };
  const onException = (error: unknown) => {
    logger.fatal({ err: error }, 'uncaught exception');
    tell();
  };
  const onRejection = (reason: unknown) => {
    logger.error({ err: reason }, 'unhandled promise rejection');
    tell();
  };
  events.on('uncaughtException', onException);
  events.on('unhandledRejection', onRejection);
  return () => {
    events.off('uncaughtException', onException);
    events.off('unhandledRejection', onRejection);
  };
}
