import type {
  EventChannel,
  EventPayload,
  MethodChannel,
  MethodInput,
  MethodOutput,
  WorkstationBridge,
} from '../../../src-shared/contract';
import { WorkstationError } from '../../../src-shared/errors';

/** The renderer's typed API: calls resolve with the answer or reject with a WorkstationError. */
export interface WorkstationClient {
  call<C extends MethodChannel>(channel: C, input: MethodInput<C>): Promise<MethodOutput<C>>;
  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Unwraps the bridge's Results into WorkstationErrors, the same way for both transports. */
export function createWorkstationClient(bridge: WorkstationBridge): WorkstationClient {
  return {
    async call(channel, input) {
      const result = await bridge.invoke(channel, input);
      if (result.ok) return result.value;
      throw new WorkstationError(result.error);
    },
    on: (event, listener) => bridge.on(event, listener),
  };
}
