import type { MethodChannel, MethodOutput, MethodParsedInput } from '../../src-shared/contract';

/** Who is calling: lets handlers tie streamed events and cancellation to one window or tab. */
export interface CallContext {
  /** Stable id of the calling window (Electron) or event stream (web host). */
  readonly senderId: string;
}

/** A handler receives input the contract schema already parsed; it throws WorkstationError on failure. */
export type Handler<C extends MethodChannel> = (
  input: MethodParsedInput<C>,
  context: CallContext,
) => Promise<MethodOutput<C>> | MethodOutput<C>;

/** One handler per contract method: a missing one is a compile error. */
export type HandlerTable = { readonly [C in MethodChannel]: Handler<C> };
