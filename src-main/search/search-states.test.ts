import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { SearchBatch, SearchResult } from '../../src-shared/domain/search';
import { workstationError } from '../../src-shared/errors';
import { EventHub } from '../ipc/event-hub';
import type { ISearchProvider } from '../integrations/search-provider';
import { ManualClock, settle } from '../integrations/test/manual-clock';
import { SearchService, trimQuery } from './search-service';

const logger = pino({ level: 'silent' });
const okHealth = async () => ({ state: 'ok' as const });

function batchesOf(hub: EventHub) {
  const batches: SearchBatch[] = [];
  const completed: string[] = [];
  hub.subscribe((event, payload) => {
    if (event === 'search:didReceiveBatch') batches.push(payload as SearchBatch);
    if (event === 'search:didComplete') completed.push((payload as { queryId: string }).queryId);
  });
  return { batches, completed };
}

const result = (title: string): SearchResult => ({
  id: `crm:${title}`,
  source: 'crm',
  entityType: 'contact',
  title,
  subtitle: '',
  score: 0,
  fetchedAt: 0,
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await settle();
  expect(condition()).toBe(true);
}

describe('search states', () => {
  it('trims an over-long query to what the source accepts, at a word boundary, and says so', async () => {
    const hub = new EventHub(logger);
    const { batches, completed } = batchesOf(hub);
    const asked: string[] = [];
    const limited: ISearchProvider = {
      id: 'crm',
      label: 'CRM',
      maxQueryLength: 20,
      health: okHealth,
      search: async (text) => (asked.push(text), [result('Contoso')]),
    };
    const service = new SearchService({ providers: () => [limited] }, hub, logger);
    service.query('q1', 'contoso renewal quarterly review notes', 'w');
    await until(() => completed.includes('q1'));
    expect(asked).toEqual(['contoso renewal']);
    expect(batches[0]?.status).toMatchObject({
      state: 'ok',
      trimmedTo: 15,
      message: expect.stringContaining('up to 20 characters'),
    });
    expect(trimQuery('x'.repeat(30), 20)).toBe('x'.repeat(20));
  });

  it('reports a source that does not answer in time as timed out with Retry, on a controllable clock', async () => {
    const hub = new EventHub(logger);
    const { batches, completed } = batchesOf(hub);
    const clock = new ManualClock();
    let aborted = false;
    const silent: ISearchProvider = {
      id: 'slow',
      label: 'Slow CRM',
      health: okHealth,
      search: (_text, { signal }) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => ((aborted = true), reject(new Error('aborted')))),
        ),
    };
    const service = new SearchService(
      { providers: () => [silent], schedule: clock.schedule, now: clock.now, timeoutMs: 10_000 },
      hub,
      logger,
    );
    service.query('q1', 'contoso', 'w');
    await settle();
    await clock.advance(9_999);
    expect(batches).toHaveLength(0);
    await clock.advance(1);
    await until(() => completed.includes('q1'));
    expect(batches[0]?.status).toMatchObject({
      source: 'slow',
      state: 'timed_out',
      action: 'retry',
      message: 'Slow CRM did not answer in time.',
    });
    expect(aborted).toBe(true);
  });

  it('answers a blocked source with its row and no results, and a refused one as not enabled', async () => {
    const hub = new EventHub(logger);
    const { batches, completed } = batchesOf(hub);
    const refused: ISearchProvider = {
      id: 'mail',
      label: 'Mail',
      health: okHealth,
      search: () =>
        Promise.reject(workstationError('forbidden', 'Your organisation turned Mail off.')),
    };
    const service = new SearchService(
      {
        providers: () => [
          {
            id: 'crm',
            label: 'CRM',
            blocked: { state: 'needs_reconnect', message: 'Reconnect CRM.', action: 'reconnect' },
          },
          refused,
        ],
      },
      hub,
      logger,
    );
    service.query('q1', 'contoso', 'w');
    await until(() => completed.includes('q1'));
    expect(
      batches.map((batch) => [batch.status.source, batch.status.state, batch.results]),
    ).toEqual(
      expect.arrayContaining([
        ['crm', 'needs_reconnect', []],
        ['mail', 'not_enabled', []],
      ]),
    );
    expect(batches.find((batch) => batch.status.source === 'crm')?.status.action).toBe('reconnect');
    expect(batches.find((batch) => batch.status.source === 'mail')?.status.action).toBeUndefined();
  });

  it('asks one source past the cache when its row asks to refresh, and keeps the others cached', async () => {
    const hub = new EventHub(logger);
    const { batches, completed } = batchesOf(hub);
    const calls: Record<string, number> = { a: 0, b: 0 };
    const provider = (id: string): ISearchProvider => ({
      id,
      label: id.toUpperCase(),
      health: okHealth,
      search: async () => ((calls[id] = (calls[id] ?? 0) + 1), [result(id)]),
    });
    const service = new SearchService(
      { providers: () => [provider('a'), provider('b')] },
      hub,
      logger,
    );
    service.query('q1', 'contoso', 'w');
    await until(() => completed.includes('q1'));
    service.query('q2', 'contoso', 'w');
    await until(() => completed.includes('q2'));
    expect(calls).toEqual({ a: 1, b: 1 });
    expect(batches.filter((batch) => batch.queryId === 'q2').map((batch) => batch.status)).toEqual(
      expect.arrayContaining([expect.objectContaining({ state: 'cached', action: 'refresh' })]),
    );
    service.query('q3', 'contoso', 'w', 'b');
    await until(() => completed.includes('q3'));
    expect(calls).toEqual({ a: 1, b: 2 });
    const q3 = Object.fromEntries(
      batches
        .filter((batch) => batch.queryId === 'q3')
        .map((b) => [b.status.source, b.status.state]),
    );
    expect(q3).toEqual({ a: 'cached', b: 'ok' });
  });
});
