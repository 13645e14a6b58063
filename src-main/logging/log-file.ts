import { join } from 'node:path';
import pinoRoll, { type RollingStream } from 'pino-roll';

/** How big a log file grows and how many earlier ones are kept. */
export interface LogFileOptions {
  /** The log folder (`<userData>/logs` in the desktop app). */
  readonly dir: string;
  /** pino-roll's size: `5m`, `512k`. */
  readonly maxSize?: string;
  /** Earlier files kept besides the current one. */
  readonly keep?: number;
}

/** The name files start with: `workstation.1.log`, `workstation.2.log`, ... */
export const logFileBase = 'workstation';

/**
 * A rotating JSON log file, opened in this process with pino-roll (pino's own rotating-file
 * transport, https://github.com/mcollina/pino-roll) rather than in a transport worker thread: a
 * bundled, packaged main process has no module file for a worker to load.
 */
export function openLogFile(options: LogFileOptions): Promise<RollingStream> {
  return pinoRoll({
    file: join(options.dir, logFileBase),
    extension: '.log',
    size: options.maxSize ?? '5m',
    limit: { count: options.keep ?? 4 },
    mkdir: true,
    // Written before the call returns: the lines that explain a crash must be on disk when the
    // crash dialog offers the log folder.
    sync: true,
  });
}
