import type { Logger } from 'pino';
import { isMethodChannel } from '../../src-shared/channels';
import { methods, type MethodChannel } from '../../src-shared/contract';
import { isWorkstationError, workstationError } from '../../src-shared/errors';
import { fail, ok, type Result } from '../../src-shared/result';
import type { CallContext, HandlerTable } from './handler-table';

/** Runs contract methods for any transport: validates input first, answers a Result, never throws. */
export type Dispatch = (
  channel: unknown,
  input: unknown,
  context: CallContext,
) => Promise<Result<unknown>>;

/**
 * Builds the one dispatcher both bindings (Electron IPC and the web host) call. Input is parsed by
 * the contract schema before any handler runs; output is parsed too, which strips any field the
 * contract does not name, so nothing unplanned (a token, an upstream body) can reach the renderer.
 */
export function createDispatcher(handlers: HandlerTable, logger: Logger): Dispatch {
  return async (channel, input, context) => {
    if (!isMethodChannel(channel)) {
      return fail(
        workstationError('unknown_method', 'Workstation does not know that request.').toData(),
      );
    }
    const spec = methods[channel];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 20).map((issue) => ({
        path: issue.path.map(String).join('.') || '(input)',
        message: issue.message,
      }));
      const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
      return fail(
        workstationError('invalid_input', `The request was not valid (${summary}).`, {
          issues,
        }).toData(),
      );
    }
    try {
      const handler = handlers[channel] as (value: unknown, ctx: CallContext) => unknown;
      const value = await handler(parsed.data, context);
      const checked = spec.output.safeParse(value);
      if (!checked.success) {
        logger.error(
          { channel, issues: checked.error.issues.slice(0, 5) },
          'handler answered outside the contract',
        );
        return fail(
          workstationError(
            'internal',
            'Workstation hit an internal error. Please try again.',
          ).toData(),
        );
      }
      return ok(checked.data);
    } catch (error) {
      if (isWorkstationError(error)) return fail(error.toData());
      logger.error({ channel, err: error }, 'handler failed');
      return fail(
        workstationError(
          'internal',
          'Workstation hit an internal error. Please try again.',
        ).toData(),
      );
    }
  };
}

/** Lists the method channels, for bindings that register one route or IPC handler per method. */
export function contractChannels(): readonly MethodChannel[] {
  return Object.keys(methods) as MethodChannel[];
}
