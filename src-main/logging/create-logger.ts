import type { Logger } from 'pino';
import { createMaskedLogger, type MaskedLoggerOptions } from '../../src-node-shared/masked-logger';

/** Options for the main-process logger. */
export type LoggerOptions = Omit<MaskedLoggerOptions, 'app'>;

/** Main's logger: every line masked by the shared redaction rules (src-node-shared/masked-logger.ts). */
export function createLogger(options: LoggerOptions = {}): Logger {
  return createMaskedLogger({ app: 'workstation', ...options });
}
