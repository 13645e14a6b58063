import type { EventChannel, EventPayload } from './contract';

/**
 * Where main's services publish main-to-renderer events. It lives here, below every main-process
 * floor, so the search engine and the settings store can emit without importing the IPC layer.
 */
export interface IEventSink {
  emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void;
}
