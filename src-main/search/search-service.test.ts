import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { SearchResult } from '../../src-shared/domain/search';
import { workstationError } from '../../src-shared/errors';
import { EventHub } from '../ipc/event-hub';
import { PlaceholderProvider } from './placeholder-provider';
import type { ISearchProvider } from '../integrations/search-provider';
import { SearchService } from './search-service';

const logger = pino({ level: 'silent' });

function collect(hub: EventHub) {
  const events: { event: string; payload: unknown }[] = [];
  hub.subscribe((event, payload) => events.push({ event, payload }));
  return events;
}

function waitFor(events: { event: string }[], event: string): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (events.some((entry) => entry.event === event)) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
}

const okHealth = async () => ({ state: 'ok' as const });

/** A provider that answers only when released, and records aborts. */
class GatedProvider implements ISearchProvider {
  readonly id = 'gated';
  readonly label = 'Gated';
  readonly health = okHealth;
  aborted = 0;
  #release: (() => void) | undefined;
  search(_text: string, options: { signal: AbortSignal }): Promise<readonly SearchResult[]> {
    return new Promise((resolve, reject) => {
      options.signal.addEventListener('abort', () => {
        this.aborted += 1;
        reject(options.signal.reason);
      });
      this.#release = () => resolve([]);
    });
  }
  release(): void {
    this.#release?.();
  }
}

describe('SearchService', () => {
  it('streams one batch per provider and then completes', async () => {
    const hub = new EventHub(logger);
    const events = collect(hub);
    const failing: ISearchProvider = {
      id: 'broken',
      label: 'Broken',
      health: okHealth,
      search: () => Promise.reject(new Error('boom')),
    };
    const service = new SearchService(
      { providers: () => [new PlaceholderProvider(() => 1), failing] },
      hub,
      logger,
    );
    service.query('q1', 'contoso', 'window-1');
    await waitFor(events, 'search:didComplete');
    const batches = events
      .filter((entry) => entry.event === 'search:didReceiveBatch')
      .map((entry) => entry.payload);
    expect(batches).toContainEqual(
      expect.objectContaining({
        queryId: 'q1',
        status: expect.objectContaining({ source: 'placeholder', state: 'ok' }),
        results: [expect.objectContaining({ title: 'Contoso Ltd (placeholder)' })],
      }),
    );
    expect(batches).toContainEqual(
      expect.objectContaining({
        status: expect.objectContaining({ source: 'broken', state: 'failed' }),
        results: [],
      }),
    );
    expect(events.at(-1)).toEqual({
      event: 'search:didComplete',
      payload: { queryId: 'q1', sources: 2 },
    });
  });

  it('aborts a superseded query from the same window down to the provider and emits nothing for it', async () => {
    const hub = new EventHub(logger);
    const events = collect(hub);
    const gated = new GatedProvider();
    const service = new SearchService({ providers: () => [gated] }, hub, logger);
    service.query('q1', 'con', 'window-1');
    await new Promise((resolve) => setTimeout(resolve, 5));
    service.query('q2', 'cont', 'window-1');
    expect(gated.aborted).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    gated.release();
    await waitFor(events, 'search:didComplete');
    expect(events.every((entry) => (entry.payload as { queryId: string }).queryId === 'q2')).toBe(
      true,
    );
  });

  it('cancels on request and reports whether anything was running', async () => {
    const hub = new EventHub(logger);
    const gated = new GatedProvider();
    const service = new SearchService({ providers: () => [gated] }, hub, logger);
    service.query('q1', 'x', 'w');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(service.cancel('q1')).toEqual({ cancelled: true });
    expect(service.cancel('q1')).toEqual({ cancelled: false });
    expect(gated.aborted).toBe(1);
  });

  it('serves a repeated query from the 5-minute cache with its age, per user', async () => {
    const hub = new EventHub(logger);
    const events = collect(hub);
    let calls = 0;
    let now = 1_000;
    let user = 'ann';
    const counting: ISearchProvider = {
      id: 'crm',
      label: 'CRM',
      health: okHealth,
      search: async () => (
        (calls += 1),
        [
          {
            id: 'crm:1',
            source: 'crm',
            entityType: 'contact',
            title: 'Contoso',
            subtitle: '',
            score: 0,
            fetchedAt: 0,
          },
        ]
      ),
    };
    const service = new SearchService(
      { providers: () => [counting], now: () => now, userKey: () => user },
      hub,
      logger,
    );
    service.query('q1', 'Contoso', 'w');
    await waitFor(events, 'search:didComplete');
    now += 60_000;
    events.length = 0;
    service.query('q2', '  contoso ', 'w');
    await waitFor(events, 'search:didComplete');
    expect(calls).toBe(1);
    expect(events[0]?.payload).toMatchObject({
      queryId: 'q2',
      status: { state: 'cached', ageMs: 60_000 },
    });
    events.length = 0;
    user = 'bob';
    service.query('q3', 'contoso', 'w');
    await waitFor(events, 'search:didComplete');
    expect(calls).toBe(2);
    service.clearCache('crm');
    user = 'ann';
    events.length = 0;
    service.query('q4', 'contoso', 'w');
    await waitFor(events, 'search:didComplete');
    expect(calls).toBe(3);
  });

  it('shares one upstream request between identical queries in flight', async () => {
    const hub = new EventHub(logger);
    const events = collect(hub);
    const gated = new GatedProvider();
    let calls = 0;
    const counting: ISearchProvider = {
      id: gated.id,
      label: gated.label,
      health: okHealth,
      search: (text, options) => ((calls += 1), gated.search(text, options)),
    };
    const service = new SearchService({ providers: () => [counting] }, hub, logger);
    service.query('a1', 'contoso', 'window-a');
    service.query('b1', 'contoso', 'window-b');
    await new Promise((resolve) => setTimeout(resolve, 5));
    gated.release();
    await waitFor(events, 'search:didComplete');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(calls).toBe(1);
    expect(events.filter((entry) => entry.event === 'search:didComplete')).toHaveLength(2);
  });

  it('ranks each batch and reports throttled and reconnect states per source', async () => {
    const hub = new EventHub(logger);
    const events = collect(hub);
    const results = ['Obrien & Sons', 'Kobrien', 'obrien'].map((title, index) => ({
      id: `crm:${index}`,
      source: 'crm',
      entityType: 'account',
      title,
      subtitle: '',
      score: 0,
      fetchedAt: 0,
    }));
    const crm: ISearchProvider = {
      id: 'crm',
      label: 'CRM',
      health: okHealth,
      search: async () => results,
    };
    const busy: ISearchProvider = {
      id: 'busy',
      label: 'Busy',
      health: okHealth,
      search: async () => Promise.reject(workstationError('throttled', 'Busy.', { retryAt: 42 })),
    };
    const expired: ISearchProvider = {
      id: 'mail',
      label: 'Mail',
      health: okHealth,
      search: async () => Promise.reject(workstationError('needs_reconnect', 'Reconnect.')),
    };
    const service = new SearchService({ providers: () => [crm, busy, expired] }, hub, logger);
    service.query('q1', 'obrien', 'w');
    await waitFor(events, 'search:didComplete');
    const batches = events
      .filter((entry) => entry.event === 'search:didReceiveBatch')
      .map(
        (entry) =>
          entry.payload as {
            status: { source: string; state: string; retryAt?: number };
            results: { title: string }[];
          },
      );
    expect(
      batches.find((batch) => batch.status.source === 'crm')?.results.map((result) => result.title),
    ).toEqual(['obrien', 'Obrien & Sons', 'Kobrien']);
    expect(batches.find((batch) => batch.status.source === 'busy')?.status).toMatchObject({
      state: 'throttled',
      retryAt: 42,
    });
    expect(batches.find((batch) => batch.status.source === 'mail')?.status).toMatchObject({
      state: 'needs_reconnect',
    });
  });

  it("says on the source's chip when a simpler search answered, and keeps saying it from the cache", async () => {
    const hub = new EventHub(logger);
    const events = collect(hub);
    const crm: ISearchProvider = {
      id: 'crm',
      label: 'CRM',
      health: okHealth,
      search: async (text, options) => {
        options.onNotice?.('Search is busy; showing a simpler search.');
        return [
          {
            id: 'crm:1',
            source: 'crm',
            entityType: 'account',
            title: text,
            subtitle: '',
            score: 0,
            fetchedAt: 0,
          },
        ];
      },
    };
    const service = new SearchService({ providers: () => [crm] }, hub, logger);
    const statuses = async (queryId: string) => {
      service.query(queryId, 'contoso', 'w');
      while (
        !events.some(
          (entry) =>
            entry.event === 'search:didComplete' &&
            (entry.payload as { queryId: string }).queryId === queryId,
        )
      )
        await new Promise((resolve) => setTimeout(resolve, 5));
      return events
        .filter(
          (entry) =>
            entry.event === 'search:didReceiveBatch' &&
            (entry.payload as { queryId: string }).queryId === queryId,
        )
        .map((entry) => entry.payload as { status: unknown; results: unknown[] });
    };
    const [fresh] = await statuses('q1');
    expect(fresh?.status).toMatchObject({
      state: 'ok',
      message: 'Search is busy; showing a simpler search.',
      fallback: true,
    });
    expect(fresh?.results).toHaveLength(1);
    const [cached] = await statuses('q2');
    expect(cached?.status).toMatchObject({ state: 'cached', fallback: true });
  });
});
