import pino, { type Logger } from 'pino';
import { redactSecrets, redactString } from '../src-shared/redaction';

/** Options for a process's logger. */
export interface MaskedLoggerOptions {
  /** Which process writes the lines (`workstation`, `tokenstore`). */
  readonly app: string;
  readonly level?: string;
  /** Where JSON lines go; defaults to stderr so stdout stays for what the user must read (URLs). */
  readonly destination?: pino.DestinationStream;
}

/**
 * The one logger factory of every Node process (main, the token store): a structured JSON logger whose every line passes through the shared redaction rules: secret-named
 * keys are masked and JWT/bearer/code-looking strings are scrubbed wherever they appear. Each way
 * pino builds a line is covered: the merged object (formatters.log, which runs before the
 * serializers), the message and its interpolated values, the message pino takes from an error
 * when none is given, and child bindings.
 */
export function createMaskedLogger(options: MaskedLoggerOptions): Logger {
  const logger = pino(
    {
      level: options.level ?? process.env.WORKSTATION_LOG_LEVEL ?? 'info',
      // The pid tells apart the lines of the token store's workers (TOKENSTORE_WORKERS), which
      // share one stderr.
      base: { app: options.app, pid: process.pid },
      formatters: {
        log: (object) => redactSecrets(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          // Without a message, pino logs the error's own message (unmasked): pass it masked instead.
          const implied = rest.length === 0 ? impliedMessage(first) : undefined;
          const all = implied === undefined ? [first, ...rest] : [first, implied];
          const scrubbed = all.map((arg, index) =>
            typeof arg === 'string' ? redactString(arg) : index > 0 ? redactSecrets(arg) : arg,
          );
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      serializers: { err: (error: unknown) => redactSecrets(error) },
    },
    options.destination ?? pino.destination(2),
  );
  // Child bindings are serialized once, in child(), and never pass formatters.log. Children are
  // created from their parent's prototype chain, so they all inherit this child() too.
  const child = logger.child;
  logger.child = function (
    this: Logger,
    ...[bindings, childOptions]: Parameters<Logger['child']>
  ): ReturnType<Logger['child']> {
    return Reflect.apply(child, this, [redactSecrets(bindings), childOptions]) as ReturnType<
      Logger['child']
    >;
  } as Logger['child'];
  return logger;
}

/** The message pino would take from the logged error when the call gives none (`logger.error(err)`, `logger.error({ err })`). */
function impliedMessage(first: unknown): string | undefined {
  if (first instanceof Error) return first.message;
  if (typeof first !== 'object' || first === null || 'msg' in first) return undefined;
  const err: unknown = (first as { err?: unknown }).err;
  const message =
    typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : undefined;
}
