import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  leadsSearch,
  SEARCH_DEBOUNCE_MS,
  type QueryId,
  type SearchBatch,
  type SearchResult,
  type SourceStatus,
} from '../../../src-shared/domain/search';
import { isWorkstationError } from '../../../src-shared/errors';
import { LeadingDebounce } from '../../../src-shared/leading-debounce';
import type { WorkstationClient } from '../bridge/workstation-client';

/** The launcher's search view state; nothing here is persisted. */
export interface SearchState {
  readonly text: string;
  readonly queryId: QueryId | undefined;
  readonly phase: 'idle' | 'searching' | 'done';
  readonly results: readonly SearchResult[];
  readonly sources: Readonly<Record<string, SourceStatus>>;
  readonly selectedIndex: number;
  readonly error: string | undefined;
  /** When a busy source will be asked again by itself (epoch ms), if one is waiting. */
  readonly retryAt: number | undefined;
}

/** What the search view can do. */
export interface SearchActions {
  setText(text: string): void;
  /** Runs the current text again, skipping the debounce (a chip's Retry). */
  retry(): void;
  /** Asks one source again past its 5-minute cache (its row's Refresh); the others answer as before. */
  refresh(source: string): void;
  /** Opens the selected result through main (which checks the link); answers what happened. */
  openSelected(): Promise<void>;
  /** The selected result's link, for copying. */
  selectedUrl(): string | undefined;
  moveSelection(delta: number): void;
  reset(): void;
  dispose(): void;
}

export type SearchStore = StoreApi<SearchState & SearchActions>;

export const initialSearchState: SearchState = {
  text: '',
  queryId: undefined,
  phase: 'idle',
  results: [],
  sources: {},
  selectedIndex: 0,
  error: undefined,
  retryAt: undefined,
};

/** What the list says when it has no result rows. */
export type SearchOutcome =
  | 'idle'
  | 'searching'
  | 'results'
  /** Every source answered and none found anything: the only honest "No results". */
  | 'no_results'
  /** Nothing found, but some source did not answer: say so, not "No results". */
  | 'incomplete'
  /** Workstation itself did not take the query. */
  | 'unreachable';

const answered = (status: SourceStatus) => status.state === 'ok' || status.state === 'cached';

/** How the list reads now; each source's row is `sourceRowView` (palette/source-states.ts). */
export function searchOutcome(state: SearchState): SearchOutcome {
  if (state.text.trim() === '') return 'idle';
  if (state.error !== undefined && state.results.length === 0) return 'unreachable';
  if (state.results.length > 0) return 'results';
  // Rows of sources in trouble show at once; the verdict waits until every source answered.
  if (state.phase !== 'done') return 'searching';
  const sources = Object.values(state.sources);
  return sources.length > 0 && sources.every(answered) ? 'no_results' : 'incomplete';
}

/** The line shown when there are no result rows, or undefined when results are shown. */
export function outcomeMessage(state: SearchState): string | undefined {
  const text = state.text.trim();
  switch (searchOutcome(state)) {
    case 'searching':
      return 'Searching…';
    case 'no_results':
      return `No results for “${text}”.`;
    case 'incomplete':
      // Turned off is not "could not answer": the rows above say who turned what off.
      if (Object.values(state.sources).every((status) => status.state === 'not_enabled'))
        return 'Your organisation has turned off every source Workstation would search.';
      return Object.values(state.sources).some(answered)
        ? `Nothing found for “${text}” in the sources that answered.`
        : `No source could answer for “${text}”.`;
    case 'unreachable':
      return state.error;
    default:
      return undefined;
  }
}

/** A busy source without its own Retry-After is asked again after this long. */
const DEFAULT_RETRY_MS = 5_000;

/** Options that tests turn: the debounce and the clock. */
export interface SearchStoreOptions {
  /**
   * The first key after a pause this long is sent at once (if it makes two characters or more);
   * within a run of keys only the last text is sent, once typing paused this long (120 ms by
   * default).
   */
  readonly debounceMs?: number;
  readonly newQueryId?: () => QueryId;
  readonly now?: () => number;
}

/**
 * Results grouped by entity type, groups ordered by their best result and rows by score within a
 * group: the order the list shows, so arrow keys move through what the user sees.
 */
export function groupByType(results: readonly SearchResult[]): SearchResult[] {
  const sorted = [...results].sort((a, b) => b.score - a.score);
  const order = [...new Set(sorted.map((result) => result.entityType))];
  return order.flatMap((type) => sorted.filter((result) => result.entityType === type));
}

let counter = 0;
const defaultQueryId = (): QueryId => `q${Date.now().toString(36)}${(counter++).toString(36)}`;

/**
 * Creates the search store over the API. Debounce belongs here (the renderer); events of any
 * query but the current one are dropped, so a slow old answer never paints over a newer one.
 */
export function createSearchStore(
  client: WorkstationClient,
  options: SearchStoreOptions = {},
): SearchStore {
  const debounceMs = options.debounceMs ?? SEARCH_DEBOUNCE_MS;
  const newQueryId = options.newQueryId ?? defaultQueryId;
  const now = options.now ?? Date.now;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let lastSent: string | undefined;
  const stopRetry = () => {
    if (retryTimer !== undefined) clearTimeout(retryTimer);
    retryTimer = undefined;
  };

  const store = createStore<SearchState & SearchActions>()((set, get) => {
    const send = (text: string, refresh?: string) => {
      stopRetry();
      const previous = get().queryId;
      if (text.trim() === '') {
        if (previous)
          void client.call('search:cancel', { queryId: previous }).catch(() => undefined);
        lastSent = undefined;
        set({ ...initialSearchState, text });
        return;
      }
      const queryId = newQueryId();
      // A refresh or a retry keeps what the list shows until the new answers replace it.
      const keep = refresh !== undefined || text === lastSent;
      lastSent = text;
      set({
        queryId,
        phase: 'searching',
        ...(keep && previous ? {} : { results: [], sources: {}, selectedIndex: 0 }),
        error: undefined,
        retryAt: undefined,
      });
      client
        .call('search:query', { queryId, text, ...(refresh ? { refresh } : {}) })
        .catch((error: unknown) => {
          if (get().queryId !== queryId) return;
          set({
            phase: 'done',
            error:
              isWorkstationError(error) && error.code !== 'internal'
                ? error.message
                : 'Workstation is not answering, so nothing was searched. Try again in a moment.',
          });
        });
    };

    // Leading edge first: the first key after a pause goes out at once (main's gate then decides
    // when it reaches the upstream), unless it is a single character; a cleared box cancels at once.
    const debounce = new LeadingDebounce((text: string) => send(text), debounceMs, {
      leads: leadsSearch,
    });
    return {
      ...initialSearchState,
      setText(text) {
        set({ text });
        debounce.push(text, { immediate: text.trim() === '' });
      },
      moveSelection(delta) {
        const { results, selectedIndex } = get();
        if (results.length === 0) return;
        set({ selectedIndex: (selectedIndex + delta + results.length) % results.length });
      },
      reset() {
        debounce.cancel();
        send('');
      },
      retry() {
        debounce.cancel();
        send(get().text);
      },
      refresh(source) {
        debounce.cancel();
        send(get().text, source);
      },
      async openSelected() {
        const url = get().selectedUrl();
        if (!url) return;
        try {
          const answer = await client.call('links:open', { url });
          // The web host cannot open the user's browser; the page opens the link main approved.
          if (!answer.opened) window.open(answer.url, '_blank', 'noopener');
        } catch (error) {
          set({
            error: isWorkstationError(error) ? error.message : 'That link could not be opened.',
          });
        }
      },
      selectedUrl() {
        const { results, selectedIndex } = get();
        return results[selectedIndex]?.url;
      },
      dispose() {
        debounce.cancel();
        stopRetry();
        unsubscribeBatch();
        unsubscribeComplete();
      },
    };
  });

  const unsubscribeBatch = client.on('search:didReceiveBatch', (batch: SearchBatch) => {
    const state = store.getState();
    if (batch.queryId !== state.queryId) return;
    const others = state.results.filter((result) => result.source !== batch.status.source);
    const results = groupByType([...others, ...batch.results]);
    store.setState({ results, sources: { ...state.sources, [batch.status.source]: batch.status } });
    // A busy source is asked again by itself at its Retry-After (the others answer from the cache).
    if (batch.status.state === 'throttled') {
      const at = Math.max(batch.status.retryAt ?? now() + DEFAULT_RETRY_MS, now() + 1_000);
      const current = store.getState().retryAt;
      if (current === undefined || at < current) {
        stopRetry();
        store.setState({ retryAt: at });
        const queryId = batch.queryId;
        retryTimer = setTimeout(() => {
          retryTimer = undefined;
          if (store.getState().queryId === queryId) store.getState().retry();
        }, at - now());
      }
    }
  });
  const unsubscribeComplete = client.on('search:didComplete', (done) => {
    if (done.queryId === store.getState().queryId) store.setState({ phase: 'done' });
  });
  return store;
}
