import type { Logger } from 'pino';
import type { QueryId } from '../../src-shared/domain/search';
import { isWorkstationError } from '../../src-shared/errors';
import type { IEventSink } from '../ipc/event-hub';
import type { ISearchProvider } from './search-provider';

/**
 * Fans one query out to every provider and streams each provider's answer as its own batch event.
 * A newer query from the same window supersedes (aborts) the older one, so it costs nothing more.
 */
export class SearchService {
  readonly #inFlight = new Map<QueryId, { controller: AbortController; senderId: string }>();
  readonly #latestBySender = new Map<string, QueryId>();

  constructor(
    private readonly providers: () => readonly ISearchProvider[],
    private readonly events: IEventSink,
    private readonly logger: Logger,
  ) {}

  /** Starts a query and returns at once; results arrive as `search:didReceiveBatch` events. */
  query(queryId: QueryId, text: string, senderId: string): { queryId: QueryId } {
    const previous = this.#latestBySender.get(senderId);
    if (previous !== undefined && previous !== queryId) this.cancel(previous);
    this.#latestBySender.set(senderId, queryId);

    const controller = new AbortController();
    this.#inFlight.set(queryId, { controller, senderId });
    const providers = this.providers();
    void Promise.all(providers.map((provider) => this.#runProvider(provider, queryId, text, controller.signal))).then(() => {
      if (controller.signal.aborted) return;
      this.#inFlight.delete(queryId);
      this.events.emit('search:didComplete', { queryId, sources: providers.length });
    });
    return { queryId };
  }

  /** Aborts a query; answers whether it was still running. */
  cancel(queryId: QueryId): { cancelled: boolean } {
    const entry = this.#inFlight.get(queryId);
    if (!entry) return { cancelled: false };
    entry.controller.abort();
    this.#inFlight.delete(queryId);
    return { cancelled: true };
  }

  /** Aborts everything (shutdown). */
  dispose(): void {
    for (const entry of this.#inFlight.values()) entry.controller.abort();
    this.#inFlight.clear();
  }

  async #runProvider(provider: ISearchProvider, queryId: QueryId, text: string, signal: AbortSignal): Promise<void> {
    const status = { source: provider.id, label: provider.label };
    try {
      const results = await provider.search(text, { signal });
      if (signal.aborted) return;
      this.events.emit('search:didReceiveBatch', { queryId, status: { ...status, state: 'ok' }, results: [...results] });
    } catch (error) {
      if (signal.aborted) return;
      // One failing source is one status chip, never a failed search.
      this.logger.warn({ provider: provider.id, err: error }, 'search provider failed');
      const message = isWorkstationError(error) ? error.message : `${provider.label} could not be searched.`;
      this.events.emit('search:didReceiveBatch', { queryId, status: { ...status, state: 'failed', message }, results: [] });
    }
  }
}
