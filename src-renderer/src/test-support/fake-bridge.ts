import type {
  EventChannel,
  EventPayload,
  MethodChannel,
  MethodInput,
  MethodOutput,
  WorkstationBridge,
} from '../../../src-shared/contract';
import { WorkstationError, workstationError } from '../../../src-shared/errors';
import { fail, ok } from '../../../src-shared/result';

/** How the fake main answers one method: a value of the contract's output type, or a typed error. */
export type FakeHandlers = {
  [C in MethodChannel]?: (input: MethodInput<C>) => MethodOutput<C> | WorkstationError;
};

/**
 * An in-memory bridge for store tests (no DOM, no transport): it records every call, answers
 * through `handlers` as main would (errors as data, like both real transports), and lets the test
 * emit events.
 */
export function fakeBridge(handlers: FakeHandlers) {
  const calls: { channel: MethodChannel; input: unknown }[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const bridge: WorkstationBridge = {
    invoke: async (channel, input) => {
      calls.push({ channel, input });
      const handler = handlers[channel] as ((input: unknown) => unknown) | undefined;
      const answer = handler
        ? handler(input)
        : workstationError('unknown_method', `The fake main has no ${channel}.`);
      return answer instanceof WorkstationError ? fail(answer.toData()) : ok(answer as never);
    },
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
  const emit = <E extends EventChannel>(event: E, payload: EventPayload<E>) =>
    listeners.get(event)?.forEach((listener) => listener(payload));
  return { bridge, calls, emit };
}
