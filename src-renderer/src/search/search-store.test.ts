import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  EventChannel,
  EventPayload,
  MethodChannel,
  WorkstationBridge,
} from '../../../src-shared/contract';
import type { SearchResult } from '../../../src-shared/domain/search';
import { ok } from '../../../src-shared/result';
import { createWorkstationClient } from '../bridge/workstation-client';
import { sourceRowView } from '../palette/source-states';
import { createSearchStore, outcomeMessage, searchOutcome, type SearchState } from './search-store';

/** The rows the list shows for the store's sources (palette/source-rows.tsx). */
const sourceRows = (state: SearchState) =>
  Object.values(state.sources)
    .map((status) => ({ source: status.source, ...sourceRowView(status, Date.now()) }))
    .filter((row) => row.whole);

/** An in-memory bridge: records calls and lets the test emit events as main would. */
function fakeBridge() {
  const calls: { channel: MethodChannel; input: unknown }[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const bridge: WorkstationBridge = {
    invoke: async (channel, input) => {
      calls.push({ channel, input });
      return ok(
        (channel === 'search:query'
          ? { queryId: (input as { queryId: string }).queryId }
          : { cancelled: true }) as never,
      );
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

const result = (title: string, score: number, source = 'crm'): SearchResult => ({
  id: `${source}:${title}`,
  source,
  entityType: 'contact',
  title,
  subtitle: '',
  score,
  fetchedAt: 0,
});
const status = (source: string) => ({ source, label: source, state: 'ok' as const });

describe('search store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('debounces typing into one query for the last text', async () => {
    const { bridge, calls } = fakeBridge();
    let n = 0;
    const store = createSearchStore(createWorkstationClient(bridge), {
      debounceMs: 120,
      newQueryId: () => `q${++n}`,
    });
    for (const text of ['c', 'co', 'con', 'cont']) {
      store.getState().setText(text);
      await vi.advanceTimersByTimeAsync(60);
    }
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(60);
    expect(calls).toEqual([{ channel: 'search:query', input: { queryId: 'q1', text: 'cont' } }]);
    expect(store.getState().phase).toBe('searching');
  });

  it('sends the first text after a pause at once, and the keys that follow once typing paused', async () => {
    const { bridge, calls } = fakeBridge();
    let n = 0;
    const store = createSearchStore(createWorkstationClient(bridge), {
      debounceMs: 120,
      newQueryId: () => `q${++n}`,
    });
    store.getState().setText('contoso');
    expect(calls).toEqual([{ channel: 'search:query', input: { queryId: 'q1', text: 'contoso' } }]);
    for (const text of ['contoso ', 'contoso l']) {
      await vi.advanceTimersByTimeAsync(60);
      store.getState().setText(text);
    }
    await vi.advanceTimersByTimeAsync(119);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.at(-1)).toEqual({
      channel: 'search:query',
      input: { queryId: 'q2', text: 'contoso l' },
    });
    // A pause, then the next key goes at once again.
    await vi.advanceTimersByTimeAsync(500);
    store.getState().setText('contoso lt');
    expect(calls.at(-1)).toEqual({
      channel: 'search:query',
      input: { queryId: 'q3', text: 'contoso lt' },
    });
  });

  it('drops batches of superseded queries and merges the current one by score', async () => {
    const { bridge, emit } = fakeBridge();
    let n = 0;
    const store = createSearchStore(createWorkstationClient(bridge), {
      debounceMs: 0,
      newQueryId: () => `q${++n}`,
    });
    store.getState().setText('a');
    await vi.advanceTimersByTimeAsync(1);
    store.getState().setText('ab');
    await vi.advanceTimersByTimeAsync(1);
    emit('search:didReceiveBatch', {
      queryId: 'q1',
      status: status('crm'),
      results: [result('stale', 9)],
    });
    emit('search:didReceiveBatch', {
      queryId: 'q2',
      status: status('crm'),
      results: [result('low', 1)],
    });
    emit('search:didReceiveBatch', {
      queryId: 'q2',
      status: status('mail'),
      results: [result('high', 5, 'mail')],
    });
    expect(store.getState().results.map((item) => item.title)).toEqual(['high', 'low']);
    emit('search:didComplete', { queryId: 'q1', sources: 2 });
    expect(store.getState().phase).toBe('searching');
    emit('search:didComplete', { queryId: 'q2', sources: 2 });
    expect(store.getState().phase).toBe('done');
  });

  it('keeps one status and its own results per connection, two of one integration included', async () => {
    const { bridge, emit } = fakeBridge();
    const store = createSearchStore(createWorkstationClient(bridge), {
      debounceMs: 0,
      newQueryId: () => 'q1',
    });
    store.getState().setText('contoso');
    await vi.advanceTimersByTimeAsync(1);
    const org = (connection: string, label: string) => ({
      source: `dynamics:${connection}`,
      label,
      state: 'ok' as const,
    });
    emit('search:didReceiveBatch', {
      queryId: 'q1',
      status: org('contoso-crm4', 'Dynamics 365 · contoso'),
      results: [result('Contoso Ltd', 3, 'dynamics:contoso-crm4')],
    });
    emit('search:didReceiveBatch', {
      queryId: 'q1',
      status: org('fabrikam-crm', 'Dynamics 365 · fabrikam'),
      results: [result('Fabrikam Inc', 2, 'dynamics:fabrikam-crm')],
    });
    // A later answer of one org replaces that org's results only.
    emit('search:didReceiveBatch', {
      queryId: 'q1',
      status: {
        ...org('contoso-crm4', 'Dynamics 365 · contoso'),
        state: 'failed',
        message: 'Timed out.',
      },
      results: [],
    });
    expect(
      Object.values(store.getState().sources).map((source) => [source.label, source.state]),
    ).toEqual([
      ['Dynamics 365 · contoso', 'failed'],
      ['Dynamics 365 · fabrikam', 'ok'],
    ]);
    expect(store.getState().results.map((item) => item.title)).toEqual(['Fabrikam Inc']);
  });

  it('wraps the selection and clears (cancelling the query) on reset', async () => {
    const { bridge, emit, calls } = fakeBridge();
    const store = createSearchStore(createWorkstationClient(bridge), {
      debounceMs: 0,
      newQueryId: () => 'q1',
    });
    store.getState().setText('x');
    await vi.advanceTimersByTimeAsync(1);
    emit('search:didReceiveBatch', {
      queryId: 'q1',
      status: status('crm'),
      results: [result('a', 2), result('b', 1)],
    });
    store.getState().moveSelection(-1);
    expect(store.getState().selectedIndex).toBe(1);
    store.getState().moveSelection(1);
    expect(store.getState().selectedIndex).toBe(0);
    store.getState().reset();
    await vi.advanceTimersByTimeAsync(1);
    expect(store.getState()).toMatchObject({ text: '', results: [], phase: 'idle' });
    expect(calls.at(-1)).toEqual({ channel: 'search:cancel', input: { queryId: 'q1' } });
  });
});

describe('search states in the list', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const setup = () => {
    const { bridge, calls, emit } = fakeBridge();
    let n = 0;
    const store = createSearchStore(createWorkstationClient(bridge), {
      debounceMs: 0,
      newQueryId: () => `q${++n}`,
    });
    return { store, calls, emit };
  };

  it('says "No results" only when every source answered and found nothing', async () => {
    const { store, emit } = setup();
    store.getState().setText('zzz');
    await vi.advanceTimersByTimeAsync(1);
    emit('search:didReceiveBatch', { queryId: 'q1', status: status('crm'), results: [] });
    expect(outcomeMessage(store.getState())).toBe('Searching…');
    emit('search:didReceiveBatch', {
      queryId: 'q1',
      status: {
        source: 'mail',
        label: 'Mail',
        state: 'failed',
        action: 'retry',
        message: 'Mail could not be searched.',
      },
      results: [],
    });
    emit('search:didComplete', { queryId: 'q1', sources: 2 });
    expect(searchOutcome(store.getState())).toBe('incomplete');
    expect(outcomeMessage(store.getState())).toBe(
      'Nothing found for “zzz” in the sources that answered.',
    );
    expect(sourceRows(store.getState())).toEqual([
      {
        source: 'mail',
        label: 'failed',
        reason: 'Mail could not be searched.',
        action: 'retry',
        whole: true,
      },
    ]);
    store.getState().setText('yyy');
    await vi.advanceTimersByTimeAsync(1);
    emit('search:didReceiveBatch', { queryId: 'q2', status: status('crm'), results: [] });
    emit('search:didComplete', { queryId: 'q2', sources: 1 });
    expect(outcomeMessage(store.getState())).toBe('No results for “yyy”.');
    expect(sourceRows(store.getState())).toEqual([]);
  });

  it('does not call sources the organisation turned off ones that could not answer', async () => {
    const { store, emit } = setup();
    store.getState().setText('renewal');
    await vi.advanceTimersByTimeAsync(1);
    emit('search:didReceiveBatch', {
      queryId: 'q1',
      status: {
        source: 'crm',
        label: 'CRM',
        state: 'not_enabled',
        message: 'Your organisation has turned off CRM for you.',
      },
      results: [],
    });
    emit('search:didComplete', { queryId: 'q1', sources: 1 });
    expect(outcomeMessage(store.getState())).toBe(
      'Your organisation has turned off every source Workstation would search.',
    );
  });

  it('says Workstation is not answering when the query itself fails', async () => {
    const calls: unknown[] = [];
    const store = createSearchStore(
      createWorkstationClient({
        invoke: async (channel, input) => {
          calls.push({ channel, input });
          throw new TypeError('Failed to fetch');
        },
        on: () => () => undefined,
      }),
      { debounceMs: 0 },
    );
    store.getState().setText('contoso');
    await vi.advanceTimersByTimeAsync(1);
    expect(searchOutcome(store.getState())).toBe('unreachable');
    expect(outcomeMessage(store.getState())).toMatch(/Workstation is not answering/);
  });

  it('asks a busy source again by itself at its Retry-After, and says when', async () => {
    const { store, calls, emit } = setup();
    vi.setSystemTime(new Date(2026, 0, 5, 10, 42, 0));
    store.getState().setText('contoso');
    await vi.advanceTimersByTimeAsync(1);
    const retryAt = Date.now() + 3_000;
    emit('search:didReceiveBatch', {
      queryId: 'q1',
      status: {
        source: 'crm',
        label: 'CRM',
        state: 'throttled',
        action: 'retry',
        retryAt,
        message: 'CRM is busy.',
      },
      results: [],
    });
    emit('search:didComplete', { queryId: 'q1', sources: 1 });
    const [row] = sourceRows(store.getState());
    expect(row?.reason).toBe(
      `Busy right now; Workstation asks again by itself at ${new Date(retryAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })}.`,
    );
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_900);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual({
      channel: 'search:query',
      input: { queryId: 'q2', text: 'contoso' },
    });
    // The list keeps the busy row until the new answer replaces it.
    expect(sourceRows(store.getState())).toHaveLength(1);
  });

  it('refreshes one source past its cache and says a trimmed query was trimmed', async () => {
    const { store, calls, emit } = setup();
    store.getState().setText('contoso');
    await vi.advanceTimersByTimeAsync(1);
    emit('search:didReceiveBatch', {
      queryId: 'q1',
      status: {
        source: 'crm',
        label: 'CRM',
        state: 'cached',
        ageMs: 120_000,
        action: 'refresh',
        trimmedTo: 100,
        message:
          'CRM accepts searches of up to 100 characters, so Workstation searched the first 100.',
      },
      results: [result('Contoso', 1)],
    });
    expect(sourceRows(store.getState())).toEqual([
      expect.objectContaining({
        source: 'crm',
        action: 'refresh',
        reason: expect.stringContaining('up to 100'),
      }),
    ]);
    store.getState().refresh('crm');
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.at(-1)).toEqual({
      channel: 'search:query',
      input: { queryId: 'q2', text: 'contoso', refresh: 'crm' },
    });
    expect(store.getState().results).toHaveLength(1);
  });
});
