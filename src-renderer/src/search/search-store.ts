import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  QueryId,
  SearchBatch,
  SearchResult,
  SourceStatus,
} from '../../../src-shared/domain/search';
import { isWorkstationError } from '../../../src-shared/errors';
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
}

/** What the search view can do. */
export interface SearchActions {
  setText(text: string): void;
  /** Runs the current text again, skipping the debounce (a chip's Retry). */
  retry(): void;
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
};

/** Options that tests turn: the debounce and the clock. */
export interface SearchStoreOptions {
  /** Typing pauses this long before a query is sent (120 ms by default). */
  readonly debounceMs?: number;
  readonly newQueryId?: () => QueryId;
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
  const debounceMs = options.debounceMs ?? 120;
  const newQueryId = options.newQueryId ?? defaultQueryId;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const store = createStore<SearchState & SearchActions>()((set, get) => {
    const send = (text: string) => {
      const previous = get().queryId;
      if (text.trim() === '') {
        if (previous)
          void client.call('search:cancel', { queryId: previous }).catch(() => undefined);
        set({ ...initialSearchState, text });
        return;
      }
      const queryId = newQueryId();
      set({
        queryId,
        phase: 'searching',
        results: [],
        sources: {},
        selectedIndex: 0,
        error: undefined,
      });
      client.call('search:query', { queryId, text }).catch((error: unknown) => {
        if (get().queryId !== queryId) return;
        set({ phase: 'done', error: isWorkstationError(error) ? error.message : 'Search failed.' });
      });
    };

    return {
      ...initialSearchState,
      setText(text) {
        set({ text });
        if (timer !== undefined) clearTimeout(timer);
        timer = setTimeout(() => send(text), text.trim() === '' ? 0 : debounceMs);
      },
      moveSelection(delta) {
        const { results, selectedIndex } = get();
        if (results.length === 0) return;
        set({ selectedIndex: (selectedIndex + delta + results.length) % results.length });
      },
      reset() {
        if (timer !== undefined) clearTimeout(timer);
        send('');
      },
      retry() {
        if (timer !== undefined) clearTimeout(timer);
        send(get().text);
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
        if (timer !== undefined) clearTimeout(timer);
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
  });
  const unsubscribeComplete = client.on('search:didComplete', (done) => {
    if (done.queryId === store.getState().queryId) store.setState({ phase: 'done' });
  });
  return store;
}
