import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { SearchResult } from '../../src-shared/domain/search';
import { EventHub } from '../ipc/event-hub';
import { PlaceholderProvider } from './placeholder-provider';
import type { ISearchProvider } from './search-provider';
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

/** A provider that answers only when released, and records aborts. */
class GatedProvider implements ISearchProvider {
  readonly id = 'gated';
  readonly label = 'Gated';
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
    const failing: ISearchProvider = { id: 'broken', label: 'Broken', search: () => Promise.reject(new Error('boom')) };
    const service = new SearchService(() => [new PlaceholderProvider(() => 1), failing], hub, logger);
    service.query('q1', 'contoso', 'window-1');
    await waitFor(events, 'search:didComplete');
    const batches = events.filter((entry) => entry.event === 'search:didReceiveBatch').map((entry) => entry.payload);
    expect(batches).toContainEqual(
      expect.objectContaining({ queryId: 'q1', status: expect.objectContaining({ source: 'placeholder', state: 'ok' }), results: [expect.objectContaining({ title: 'Contoso Ltd (placeholder)' })] }),
    );
    expect(batches).toContainEqual(expect.objectContaining({ status: expect.objectContaining({ source: 'broken', state: 'failed' }), results: [] }));
    expect(events.at(-1)).toEqual({ event: 'search:didComplete', payload: { queryId: 'q1', sources: 2 } });
  });

  it('aborts a superseded query from the same window and emits nothing for it', async () => {
    const hub = new EventHub(logger);
    const events = collect(hub);
    const gated = new GatedProvider();
    const service = new SearchService(() => [gated], hub, logger);
    service.query('q1', 'con', 'window-1');
    service.query('q2', 'cont', 'window-1');
    expect(gated.aborted).toBe(1);
    gated.release();
    await waitFor(events, 'search:didComplete');
    expect(events.every((entry) => (entry.payload as { queryId: string }).queryId === 'q2')).toBe(true);
  });

  it('cancels on request and reports whether anything was running', () => {
    const hub = new EventHub(logger);
    const gated = new GatedProvider();
    const service = new SearchService(() => [gated], hub, logger);
    service.query('q1', 'x', 'w');
    expect(service.cancel('q1')).toEqual({ cancelled: true });
    expect(service.cancel('q1')).toEqual({ cancelled: false });
    expect(gated.aborted).toBe(1);
  });
});
