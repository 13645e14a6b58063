import pino from 'pino';
import type { SearchBatch } from '../../src-shared/domain/search';
import type { BenchSandbox } from './remote-sandbox';
import { EventHub } from '../../src-main/ipc/event-hub';
import { SearchService } from '../../src-main/search/search-service';
import {
  federatedConnections,
  federatedSources,
  servicesOf,
  type FederatedSource,
  type NaiveRequest,
} from './federated-sources';
import {
  DEBOUNCE_MS,
  KEY_INTERVAL_MS,
  keystrokes,
  sleep,
  typeDebounced,
  untilDone,
} from './typing';

/** Five different 10-character queries, each typed from its first key; each finds something in at least one source. */
export const FEDERATED_QUERIES = [
  'contoso re',
  'fabrikam q',
  'wingtip to',
  'litware gr',
  'alpine ski',
] as const;
/** A burst: 20 different queries, one every 150 ms (past the debounce, so the engine sends each), none typed before (no cache hit). */
export const FEDERATED_BURST = [
  'alex',
  'maria',
  'contoso',
  'fabrikam',
  'northwind',
  "o'brien",
  'garcía',
  'tanaka',
  'woodgrove',
  'litware',
  'proseware',
  'tailspin',
  'wingtip',
  'alpine',
  'coho',
  'trey',
  'lucerne',
  'humongous',
  'müller',
  'smith',
] as const;
const BURST_GAP_MS = 150;
/** A request aborted in flight is still answered (and counted) by the stand-in a moment later. */
const SETTLE_MS = 300;
/** Between typed queries: Dataverse search's 1 request/s per user and the provider's 1.1 s gate are clear again. */
const PAUSE_MS = 1200;

interface Measured {
  readonly requests: number;
  readonly throttled429: number;
  /** From the final key to the source's first successful answer (maybe empty) for the final text; null = none came. */
  readonly firstResultMs: number | null;
}
export type PerSource<T> = Record<FederatedSource, T>;

/** One client's figures for one source, medians over the typed queries. */
export interface SideFigures {
  readonly requestsPerQuery: number;
  readonly firstResultMs: number | null;
  readonly throttled429PerQuery: number;
  /** Typed queries whose final text got no successful answer from this source (refused, failed, or never sent). */
  readonly unanswered: number;
}

export interface SourceReport {
  readonly engine: SideFigures;
  readonly naive: SideFigures;
  /** Engine over naive: below 1 means the engine needs fewer requests / shows results sooner. */
  readonly ratio: { readonly requests: number | null; readonly firstResult: number | null };
  readonly burst: {
    readonly engine: { readonly requestsPerQuery: number };
    readonly naive: { readonly requestsPerQuery: number };
    readonly ratio: { readonly requests: number | null };
  };
}

const ratio = (a: number | null, b: number | null) =>
  a !== null && b !== null && b > 0 ? Number((a / b).toFixed(3)) : null;

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value =
    sorted.length % 2
      ? (sorted[middle] ?? 0)
      : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return Number(value.toFixed(3));
}

const bySource = <T>(make: (source: FederatedSource) => T): PerSource<T> =>
  Object.fromEntries(federatedSources.map((source) => [source, make(source)])) as PerSource<T>;

/** Upstream requests and 429s per source since the last reset, read from the stand-ins' counters. */
async function countsBySource(
  sandbox: BenchSandbox,
): Promise<PerSource<{ requests: number; throttled429: number }>> {
  await sleep(SETTLE_MS);
  const counts = await sandbox.counters();
  return bySource((source) => ({
    requests: servicesOf[source].reduce(
      (sum, service) => sum + (counts.byService[service] ?? 0),
      0,
    ),
    throttled429: servicesOf[source].reduce(
      (sum, service) => sum + (counts.byStatus[`${service} 429`] ?? 0),
      0,
    ),
  }));
}

/** The engine fed one typed query (or a burst) through the renderer's debounce. */
async function engineRun(
  sandbox: BenchSandbox,
  service: SearchService,
  hub: EventHub,
  sourceOf: ReadonlyMap<string, FederatedSource>,
  texts: readonly string[],
  gapMs: number,
  idPrefix: string,
): Promise<PerSource<Measured>> {
  await sandbox.resetCounters();
  const batches: {
    queryId: string;
    source: FederatedSource | undefined;
    withResults: boolean;
    at: number;
  }[] = [];
  const done = new Map<string, number>();
  const off = hub.subscribe((event, payload) => {
    if (event === 'search:didReceiveBatch') {
      const batch = payload as SearchBatch;
      batches.push({
        queryId: batch.queryId,
        source: sourceOf.get(batch.status.source),
        withResults: batch.status.state === 'ok' || batch.status.state === 'cached',
        at: performance.now(),
      });
    }
    if (event === 'search:didComplete')
      done.set((payload as { queryId: string }).queryId, performance.now());
  });
  const { sent, lastKeyAt } = await typeDebounced(service, texts, gapMs, idPrefix);
  await untilDone(sent, done);
  off();
  const counts = await countsBySource(sandbox);
  const last = sent.at(-1);
  return bySource((source) => {
    const first = batches.find(
      (batch) => batch.queryId === last && batch.source === source && batch.withResults,
    );
    return { ...counts[source], firstResultMs: first ? Math.round(first.at - lastKeyAt) : null };
  });
}

/** The naive client: every key sends one request per source, no debounce, cache or cancellation. */
async function naiveRun(
  sandbox: BenchSandbox,
  naive: PerSource<NaiveRequest>,
  texts: readonly string[],
  gapMs: number,
): Promise<PerSource<Measured>> {
  await sandbox.resetCounters();
  const answeredAt = new Map<FederatedSource, number>();
  const all: Promise<unknown>[] = [];
  let lastKeyAt = 0;
  for (const [index, text] of texts.entries()) {
    lastKeyAt = performance.now();
    const final = index === texts.length - 1;
    for (const source of federatedSources) {
      const request = naive[source](text, new AbortController().signal);
      if (!request) continue;
      all.push(
        request.then(
          () => void (final && answeredAt.set(source, performance.now())),
          () => undefined,
        ),
      );
    }
    await sleep(gapMs);
  }
  await Promise.all(all);
  const counts = await countsBySource(sandbox);
  return bySource((source) => {
    const at = answeredAt.get(source);
    return {
      ...counts[source],
      firstResultMs: at === undefined ? null : Math.round(at - lastKeyAt),
    };
  });
}

function side(runs: readonly PerSource<Measured>[], source: FederatedSource): SideFigures {
  const figures = runs.map((run) => run[source]);
  const answered = figures.flatMap((figure) =>
    figure.firstResultMs === null ? [] : [figure.firstResultMs],
  );
  return {
    requestsPerQuery: median(figures.map((figure) => figure.requests)) ?? 0,
    firstResultMs: median(answered),
    throttled429PerQuery: median(figures.map((figure) => figure.throttled429)) ?? 0,
    unanswered: figures.length - answered.length,
  };
}

/**
 * Dynamics 365 + Salesforce + Outlook searched together: the engine (one SearchService over the
 * three providers) and the naive client take turns on each typed query, then on a burst.
 */
export async function runFederated(
  sandbox: BenchSandbox,
  user: string,
): Promise<PerSource<SourceReport>> {
  const { providers, sourceOf, naive } = await federatedConnections(sandbox, user);
  const hub = new EventHub(pino({ level: 'silent' }));
  const service = new SearchService(
    { providers: () => providers, userKey: () => user },
    hub,
    pino({ level: 'silent' }),
  );
  try {
    // Both clients open their connections (TLS, keep-alive) before anything is measured.
    await engineRun(sandbox, service, hub, sourceOf, ['warm up'], KEY_INTERVAL_MS, 'warm');
    await naiveRun(sandbox, naive, ['warm up'], KEY_INTERVAL_MS);
    await sleep(PAUSE_MS);

    const engineTyped: PerSource<Measured>[] = [];
    const naiveTyped: PerSource<Measured>[] = [];
    // Taking turns query by query keeps drift (GC, JIT, the machine's other work) off one client.
    for (const [index, query] of FEDERATED_QUERIES.entries()) {
      engineTyped.push(
        await engineRun(
          sandbox,
          service,
          hub,
          sourceOf,
          keystrokes(query),
          KEY_INTERVAL_MS,
          `typed${index}-`,
        ),
      );
      await sleep(PAUSE_MS);
      naiveTyped.push(await naiveRun(sandbox, naive, keystrokes(query), KEY_INTERVAL_MS));
      await sleep(PAUSE_MS);
    }
    const engineBurst = await engineRun(
      sandbox,
      service,
      hub,
      sourceOf,
      FEDERATED_BURST,
      BURST_GAP_MS,
      'burst',
    );
    await sleep(PAUSE_MS);
    const naiveBurst = await naiveRun(sandbox, naive, FEDERATED_BURST, BURST_GAP_MS);

    const perQuery = (requests: number) => Number((requests / FEDERATED_BURST.length).toFixed(3));
    return bySource((source) => {
      const engine = side(engineTyped, source);
      const naiveSide = side(naiveTyped, source);
      const burstEngine = perQuery(engineBurst[source].requests);
      const burstNaive = perQuery(naiveBurst[source].requests);
      return {
        engine,
        naive: naiveSide,
        ratio: {
          requests: ratio(engine.requestsPerQuery, naiveSide.requestsPerQuery),
          firstResult: ratio(engine.firstResultMs, naiveSide.firstResultMs),
        },
        burst: {
          engine: { requestsPerQuery: burstEngine },
          naive: { requestsPerQuery: burstNaive },
          ratio: { requests: ratio(burstEngine, burstNaive) },
        },
      };
    });
  } finally {
    service.dispose();
  }
}

/** What the federated scenario ran, for the JSON line. */
export const federatedSetup = {
  typedQueries: FEDERATED_QUERIES,
  keyIntervalMs: KEY_INTERVAL_MS,
  debounceMs: DEBOUNCE_MS,
  burstQueries: FEDERATED_BURST.length,
  burstGapMs: BURST_GAP_MS,
};
