import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type {
  QueryId,
  SearchResult,
  SourceAction,
  SourceState,
  SourceStatus,
} from '../../src-shared/domain/search';
import { isWorkstationError } from '../../src-shared/errors';
import type { IEventSink } from '../../src-shared/event-sink';
import type { Schedule } from '../integrations/min-interval-gate';
import { normalizeQuery, rankScore } from '../integrations/ranking';
import type { ISearchProvider } from '../integrations/search-provider';

/** Answers are reused for this long per provider, user and normalized query (the product's promise). */
export const CACHE_TTL_MS = 5 * 60_000;

/** A source that has not answered in this long is reported as timed out (its row offers Retry). */
export const SOURCE_TIMEOUT_MS = 10_000;

/**
 * A source that cannot be asked now, and why: a connection that needs a reconnect before it can
 * search, or one the organisation turned off. It answers every query with its row, never with
 * stand-in results.
 */
export interface BlockedSource {
  readonly id: string;
  readonly label: string;
  readonly blocked: {
    readonly state: SourceState;
    readonly message: string;
    readonly action?: SourceAction;
  };
}

/** What a query fans out to: providers that search, and sources that only say why they cannot. */
export type SearchSource = ISearchProvider | BlockedSource;

const isBlocked = (source: SearchSource): source is BlockedSource => 'blocked' in source;

/**
 * The query cut to what a source accepts: at the last word boundary within the limit when there
 * is one in its second half, else at the limit itself.
 */
export function trimQuery(text: string, limit: number): string {
  const clean = text.trim();
  if (clean.length <= limit) return clean;
  const cut = clean.slice(0, limit);
  const boundary = cut.search(/\s\S*$/);
  return (boundary > limit / 2 ? cut.slice(0, boundary) : cut).trim();
}

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

/** What a trimmed query's row says; a notice of the source's own (fallback) takes the message. */
const trimNotice = (label: string, limit: number, searched: number) => ({
  trimmedTo: searched,
  message: `${label} accepts searches of up to ${limit} characters, so Workstation searched the first ${searched}.`,
});

/** A provider's notice goes on its chip; the answer is complete, so the state stays as it is. */
const noticeOf = (answer: Answer) =>
  answer.notice ? { message: answer.notice, fallback: true } : {};

/** What the engine needs besides the event sink. */
export interface SearchServiceOptions {
  /** The sources right now (connecting or disconnecting changes it), blocked ones included. */
  readonly providers: () => readonly SearchSource[] | Promise<readonly SearchSource[]>;
  /** Whose cache entries these are (the signed-in user), so two users never share answers. */
  readonly userKey?: () => string;
  readonly now?: () => number;
  /** Runs the per-source timeout (tests pass a manual clock's). */
  readonly schedule?: Schedule;
  readonly timeoutMs?: number;
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
  readonly #schedule: Schedule;

  constructor(
    private readonly options: SearchServiceOptions,
    private readonly events: IEventSink,
    private readonly logger: Logger,
  ) {
    this.#now = options.now ?? Date.now;
    this.#schedule =
      options.schedule ??
      ((callback, ms) => {
        const timer = setTimeout(callback, ms);
        return () => clearTimeout(timer);
      });
  }

  /**
   * Starts a query and returns at once; results arrive as `search:didReceiveBatch` events.
   * `refresh` names a source asked again past its cache (its row's Refresh).
   */
  query(queryId: QueryId, text: string, senderId: string, refresh?: string): { queryId: QueryId } {
    const previous = this.#latestBySender.get(senderId);
    if (previous !== undefined && previous !== queryId) this.cancel(previous);
    this.#latestBySender.set(senderId, queryId);
    const controller = new AbortController();
    this.#inFlight.set(queryId, { controller, senderId });
    void (async () => {
      const providers = await this.options.providers();
      await Promise.all(
        providers.map((provider) =>
          isBlocked(provider)
            ? this.#emit(
                queryId,
                text,
                {
                  source: provider.id,
                  label: provider.label,
                  state: provider.blocked.state,
                  message: provider.blocked.message,
                  ...(provider.blocked.action ? { action: provider.blocked.action } : {}),
                },
                [],
              )
            : this.#runProvider(
                provider,
                queryId,
                text,
                controller.signal,
                refresh === provider.id,
              ),
        ),
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
    refresh: boolean,
  ): Promise<void> {
    // A source with a shorter limit than ours searches what it accepts, and its row says so.
    const limit = provider.maxQueryLength;
    const sent = limit !== undefined && text.trim().length > limit ? trimQuery(text, limit) : text;
    const trimmed =
      limit !== undefined && sent !== text ? trimNotice(provider.label, limit, sent.length) : {};
    const base = { source: provider.id, label: provider.label, ...trimmed };
    const normalized = normalizeQuery(sent);
    const key = `${provider.id}|${this.options.userKey?.() ?? ''}|${normalized}`;
    const cached = refresh ? undefined : this.#cache.get(key);
    if (cached) {
      this.#emit(
        queryId,
        text,
        {
          ...base,
          state: 'cached',
          ageMs: Math.max(0, this.#now() - cached.at),
          action: 'refresh',
          ...noticeOf(cached),
        },
        cached.results,
      );
      return;
    }
    // This query stops waiting for the source after the timeout; other waiters keep their own.
    const waiter = new AbortController();
    let timedOut = false;
    const stopTimer = this.#schedule(() => {
      timedOut = true;
      waiter.abort();
    }, this.options.timeoutMs ?? SOURCE_TIMEOUT_MS);
    const forward = () => waiter.abort();
    signal.addEventListener('abort', forward, { once: true });
    try {
      const answer = await Promise.race([
        this.#shared(key, provider, sent, waiter.signal),
        new Promise<never>((_, reject) =>
          waiter.signal.addEventListener('abort', () => reject(new Error('aborted')), {
            once: true,
          }),
        ),
      ]);
      if (signal.aborted) return;
      this.#cache.set(key, { ...answer, at: this.#now() });
      this.#emit(queryId, text, { ...base, state: 'ok', ...noticeOf(answer) }, answer.results);
    } catch (error) {
      if (signal.aborted) return;
      this.#emit(
        queryId,
        text,
        timedOut
          ? {
              ...base,
              state: 'timed_out',
              action: 'retry',
              message: `${provider.label} did not answer in time.`,
            }
          : { ...base, ...this.#failure(base, provider, error) },
        [],
      );
    } finally {
      stopTimer();
      signal.removeEventListener('abort', forward);
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
          action: 'retry',
          message: error.message,
          ...(error.retryAt ? { retryAt: error.retryAt } : {}),
        };
      if (
        error.code === 'needs_reconnect' ||
        error.code === 'needs_sign_in' ||
        error.code === 'needs_admin_consent'
      )
        return { ...base, state: 'needs_reconnect', action: 'reconnect', message: error.message };
      // The store refused the user: the organisation turned the integration off for them.
      if (error.code === 'forbidden')
        return { ...base, state: 'not_enabled', message: error.message };
      this.logger.warn({ provider: provider.id, code: error.code }, 'search provider failed');
      return { ...base, state: 'failed', action: 'retry', message: error.message };
    }
    this.logger.warn({ provider: provider.id, err: error }, 'search provider failed');
    return {
      ...base,
      state: 'failed',
      action: 'retry',
      message: `${provider.label} could not be searched.`,
    };
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
