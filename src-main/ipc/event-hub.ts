import type { Logger } from 'pino';
import { events, type EventChannel, type EventPayload } from '../../src-shared/contract';
import type { IEventSink } from '../../src-shared/event-sink';

/** A transport's receiver of validated events. */
export type EventListener = (event: EventChannel, payload: unknown) => void;

/** Fans events out to every subscribed transport after checking them against the contract. */
export class EventHub implements IEventSink {
  readonly #listeners = new Set<EventListener>();

  constructor(private readonly logger: Logger) {}

  emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void {
    const parsed = events[event].safeParse(payload);
    if (!parsed.success) {
      // An event outside the contract is a bug in main; dropping it keeps the renderer consistent.
      this.logger.error(
        { event, issues: parsed.error.issues.slice(0, 5) },
        'event dropped: outside the contract',
      );
      return;
    }
    for (const listener of this.#listeners) {
      try {
        listener(event, parsed.data);
      } catch (error) {
        this.logger.warn({ event, err: error }, 'event listener failed');
      }
    }
  }

  /** Subscribes a transport; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
