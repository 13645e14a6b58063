import pino, { type Logger } from 'pino';
import { createMaskedLogger, type MaskedLoggerOptions } from '../../src-node-shared/masked-logger';
import { openLogFile, type LogFileOptions } from './log-file';

/** Options for the main-process logger. */
export type LoggerOptions = Omit<MaskedLoggerOptions, 'app'>;

/** Main's logger: every line masked by the shared redaction rules (src-node-shared/masked-logger.ts). */
export function createLogger(options: LoggerOptions = {}): Logger {
  return createMaskedLogger({ app: 'workstation', ...options });
}

/** The desktop app's logger and its file, so the shell can flush it on quit. */
export interface FileLogger {
  readonly logger: Logger;
  /** The folder of the log files (what "Open logs" opens). */
  readonly dir: string;
  /** Writes what is buffered and closes the file. */
  close(): Promise<void>;
}

/**
 * The desktop app's logger: the same masked lines go to stderr (for a developer's terminal) and to
 * a rotating file in the log folder (for a user sending a problem report). The masking runs in
 * pino's hooks, before a line is serialized, so every destination receives the masked line.
 */
export async function createFileLogger(
  options: LoggerOptions & LogFileOptions & { readonly stderr?: boolean },
): Promise<FileLogger> {
  const file = await openLogFile(options);
  // Each stream takes every level: the logger's own level is the only filter.
  const streams: pino.StreamEntry<pino.Level>[] = [{ level: 'trace', stream: file }];
  if (options.stderr !== false) streams.push({ level: 'trace', stream: pino.destination(2) });
  const logger = createLogger({ level: options.level, destination: pino.multistream(streams) });
  return {
    logger,
    dir: options.dir,
    close: () =>
      new Promise((resolve) => {
        file.once('close', () => resolve());
        file.end();
      }),
  };
}
