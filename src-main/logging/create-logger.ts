import pino, { type Logger } from 'pino';
import { redactSecrets, redactString } from '../../src-shared/redaction';

/** Options for the main-process logger. */
export interface LoggerOptions {
  readonly level?: string;
  /** Where JSON lines go; defaults to stderr so stdout stays for what the user must read (URLs). */
  readonly destination?: pino.DestinationStream;
}

/**
 * Structured JSON logger whose every line passes through the shared redaction rules: secret-named
 * keys are masked and JWT/bearer/code-looking strings are scrubbed wherever they appear.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.WORKSTATION_LOG_LEVEL ?? 'info',
      base: { app: 'workstation' },
      formatters: {
        log: (object) => redactSecrets(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? redactString(arg) : arg));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      serializers: { err: (error: unknown) => redactSecrets(error) },
    },
    options.destination ?? pino.destination(2),
  );
}
