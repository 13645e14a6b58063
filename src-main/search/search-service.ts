import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { QueryId, SearchResult, SourceStatus } from '../../src-shared/domain/search';
import { isWorkstationError } from '../../src-shared/errors';
import type { IEventSink } from '../../src-shared/event-sink';
import { normalizeQuery, rankScore } from '../integrations/ranking';
import type { ISearchProvider } from '../integrations/search-provider';

/** Answers are reused for this long per provider, user and normalized query (the product's promise). */
export const CACHE_TTL_MS = 5 * 60_000;

/** One provider's answer, as cached and shared. */
interface Answer {
  readonly results: readonly SearchResult[];
  readonly notice?: string;
}

interface Flight {
  readonly promise: Promise<Answer>;
  readonly controller: AbortController;
  waiters: number;
}

/** A provider's notice goes on its chip; the answer is complete, so the state stays as it is. */
const noticeOf = (answer: Answer) =>
  answer.notice ? { message: answer.notice, fallback: true } : {};

/** What the engine needs besides the event sink. */
export interface SearchServiceOptions {
  /** The connected providers right now (connecting or disconnecting changes it). */
  readonly providers: () => readonly ISearchProvider[] | Promise<readonly ISearchProvider[]>;
  /** Whose cache entries these are (the signed-in user), so two users never share answers. */
  readonly userKey?: () => string;
  readonly now?: () => number;
}

/**
 * The federated search engine. Fans a query out to every connected provider and streams each
 * provider's ranked batch as it arrives (query id on every event); a newer query from the same
 * window aborts the older one down to its HTTP request; identical in-flight queries share one
 * upstream request; answers are cached 5 minutes in memory per provider, user and normalized
 * query; each source reports its own status, and one failing source never blanks the others.
 */
export class SearchService {
  readonly #inFlight = new Map<QueryId, { controller: AbortController; senderId: string }>();
  readonly #latestBySender = new Map<string, QueryId>();
  readonly #flights = new Map<string, Flight>();
  readonly #cache = new LRUCache<string, Answer & { at: number }>({
    max: 2000,
    ttl: CACHE_TTL_MS,
  });
  readonly #now: () => number;

  constructor(
    private readonly options: SearchServiceOptions,
    private readonly events: IEventSink,
    private readonly logger: Logger,
  ) {
    this.#now = options.now ?? Date.now;
  }

  /** Starts a query and returns at once; results arrive as `search:didReceiveBatch` events. */
  query(queryId: QueryId, text: string, senderId: string): { queryId: QueryId } {
    const previous = this.#latestBySender.get(senderId);
    if (previous !== undefined && previous !== queryId) this.cancel(previous);
    this.#latestBySender.set(senderId, queryId);
    const controller = new AbortController();
    this.#inFlight.set(queryId, { controller, senderId });
    void (async () => {
      const providers = await this.options.providers();
      await Promise.all(
        providers.map((provider) => this.#runProvider(provider, queryId, text, controller.signal)),
      );
      if (controller.signal.aborted) return;
      this.#inFlight.delete(queryId);
      this.events.emit('search:didComplete', { queryId, sources: providers.length });
    })().catch((error: unknown) => this.logger.error({ err: error }, 'search failed'));
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

  /** Forgets cached answers of one provider (on disconnect) or all. */
  clearCache(providerId?: string): void {
    for (const key of [...this.#cache.keys()])
      if (!providerId || key.startsWith(`${providerId}|`)) this.#cache.delete(key);
  }

  dispose(): void {
    for (const entry of this.#inFlight.values()) entry.controller.abort();
    this.#inFlight.clear();
  }

  async #runProvider(
    provider: ISearchProvider,
    queryId: QueryId,
    text: string,
    signal: AbortSignal,
  ): Promise<void> {
    const base = { source: provider.id, label: provider.label };
    const normalized = normalizeQuery(text);
    const key = `${provider.id}|${this.options.userKey?.() ?? ''}|${normalized}`;
    const cached = this.#cache.get(key);
    if (cached) {
      this.#emit(
        queryId,
        text,
        {
          ...base,
          state: 'cached',
          ageMs: Math.max(0, this.#now() - cached.at),
          ...noticeOf(cached),
        },
        cached.results,
      );
      return;
    }
    try {
      const answer = await this.#shared(key, provider, text, signal);
      if (signal.aborted) return;
      this.#cache.set(key, { ...answer, at: this.#now() });
      this.#emit(queryId, text, { ...base, state: 'ok', ...noticeOf(answer) }, answer.results);
    } catch (error) {
      if (signal.aborted) return;
      this.#emit(queryId, text, this.#failure(base, provider, error), []);
    }
  }

  /** One upstream request per identical in-flight query; aborted only when every waiter left. */
  #shared(
    key: string,
    provider: ISearchProvider,
    text: string,
    signal: AbortSignal,
  ): Promise<Answer> {
    let flight = this.#flights.get(key);
    if (!flight) {
      const controller = new AbortController();
      let notice: string | undefined;
      const promise = provider
        .search(text, { signal: controller.signal, onNotice: (said) => (notice = said) })
        .then((results): Answer => (notice ? { results, notice } : { results }))
        .finally(() => this.#flights.delete(key));
      flight = { promise, controller, waiters: 0 };
      this.#flights.set(key, flight);
    }
    const current = flight;
    current.waiters += 1;
    signal.addEventListener(
      'abort',
      () => {
        current.waiters -= 1;
        if (current.waiters === 0) current.controller.abort();
      },
      { once: true },
    );
    return current.promise;
  }

  #failure(
    base: { source: string; label: string },
    provider: ISearchProvider,
    error: unknown,
  ): SourceStatus {
    if (isWorkstationError(error)) {
      if (error.code === 'throttled' || error.code === 'upstream_unavailable')
        return {
          ...base,
          state: 'throttled',
          message: error.message,
          ...(error.retryAt ? { retryAt: error.retryAt } : {}),
        };
      if (
        error.code === 'needs_reconnect' ||
        error.code === 'needs_sign_in' ||
        error.code === 'needs_admin_consent'
      )
        return { ...base, state: 'needs_reconnect', message: error.message };
      this.logger.warn({ provider: provider.id, code: error.code }, 'search provider failed');
      return { ...base, state: 'failed', message: error.message };
    }
    this.logger.warn({ provider: provider.id, err: error }, 'search provider failed');
    return { ...base, state: 'failed', message: `${provider.label} could not be searched.` };
  }

  #emit(
    queryId: QueryId,
    text: string,
    status: SourceStatus,
    results: readonly SearchResult[],
  ): void {
    const ranked = results
      .map((result) => ({
        ...result,
        score: rankScore(result.title, text, result.entityType, result.score),
      }))
      .sort((a, b) => b.score - a.score);
    this.events.emit('search:didReceiveBatch', { queryId, status, results: ranked.slice(0, 200) });
  }
}
