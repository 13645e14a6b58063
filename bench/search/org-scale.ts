import type { SearchBatch, SourceState } from '../../src-shared/domain/search';
import { dataverseTraffic } from './dynamics-clients';
import { engineFor } from './dynamics-connection';
import type { BenchSandbox } from './remote-sandbox';
import { syntheticOid } from './sandbox-protocol';
import { keystrokes, sleep, typeDebounced, untilDone } from './typing';

/** The org sizes measured: 1, 10 and 50 people of one org, each with their own desktop app. */
export const ORG_SIZES = [1, 10, 50] as const;
/**
 * Typed queries per person: 3 by default (about 10 s per org size, which bounds the bench), or
 * BENCH_ORG_QUERIES_PER_USER. A run shorter than Dataverse search's 60 s org window meets the
 * org's whole budget of 150 at once and shows less throttling than typing all day would; 22
 * queries span the window (about a minute per org size).
 */
export const QUERIES_PER_USER = Number(process.env.BENCH_ORG_QUERIES_PER_USER ?? 3);
/** One key every 80 ms. */
export const ORG_KEY_INTERVAL_MS = 80;
/** Thought between queries: 2 ± 1 s, uniform; the first query starts after 0-3 s. */
export const THINK_MS = { mean: 2000, spread: 1000 } as const;
/** Stems of the ten-character queries. */
const QUERIES = [
  'contoso re',
  'fabrikam q',
  'wingtip to',
  'litware gr',
  'alpine ski',
  'northwind ',
  'tailspin t',
  'proseware ',
  'woodgrove ',
  'adventure ',
  'coho winer',
  'lucerne pu',
] as const;
/**
 * Person `index`'s query number `query`: a stem and two letters of its own, so no person types the
 * same text twice (the engine would answer a repeat from its cache) whatever the number of queries.
 */
function typedText(index: number, query: number): string {
  const stem = QUERIES[(index + query) % QUERIES.length] ?? 'contoso re';
  const letter = (n: number) => String.fromCharCode(97 + (n % 26));
  return `${stem.slice(0, 8)}${letter(query)}${letter(Math.floor(query / 26) + index)}`;
}

/** A request aborted in flight is still answered (and counted) by the stand-in a moment later. */
const SETTLE_MS = 300;

/** A seeded generator (mulberry32), so every run draws the same thoughts. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Nearest-rank percentile; null when nothing was measured. */
function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

export interface OrgScaleFigures {
  readonly users: number;
  readonly org: string;
  readonly typedQueries: number;
  /** Dataverse requests (search and Web API, refused ones included) the sandbox counted, per typed query. */
  readonly upstreamRequestsPerTypedQuery: number;
  readonly throttled429: number;
  readonly non2xx: number;
  /** Typed queries whose final text got a batch in state `throttled` (the chip said so). */
  readonly shownThrottledShare: number;
  /** Typed queries whose final text got no result batch (`ok` or `cached`) at all. */
  readonly unansweredShare: number;
  /** From the final key to the first result batch for the final text, over the queries that got one. */
  readonly firstResultMs: { readonly p50: number | null; readonly p95: number | null };
  /** The sandbox process's CPU over the run's wall time (1 = one core busy throughout). */
  readonly sandboxCpuShare: number;
  /** The run's wall time: below the org's 60 s window, its limit is met as a burst budget. */
  readonly wallSeconds: number;
}

/** A batch the engine sent the renderer: its source's state, and when. */
interface Batch {
  readonly state: SourceState;
  readonly at: number;
}

interface TypedQuery {
  readonly queryId: string | undefined;
  readonly lastKeyAt: number;
}

/** One person: thinks, types a query, thinks, ... through their own engine. */
async function person(
  sandbox: BenchSandbox,
  orgUrl: string,
  index: number,
  random: () => number,
): Promise<{ typed: TypedQuery[]; batches: Map<string, Batch[]> }> {
  const engine = engineFor(sandbox, syntheticOid(index), orgUrl);
  const batches = new Map<string, Batch[]>();
  const done = new Map<string, number>();
  engine.hub.subscribe((event, payload) => {
    if (event === 'search:didReceiveBatch') {
      const batch = payload as SearchBatch;
      batches.set(batch.queryId, [
        ...(batches.get(batch.queryId) ?? []),
        { state: batch.status.state, at: performance.now() },
      ]);
    }
    if (event === 'search:didComplete')
      done.set((payload as { queryId: string }).queryId, performance.now());
  });
  const typed: TypedQuery[] = [];
  await sleep(random() * (THINK_MS.mean + THINK_MS.spread));
  for (let query = 0; query < QUERIES_PER_USER; query += 1) {
    const text = typedText(index, query);
    const { sent, lastKeyAt } = await typeDebounced(
      engine.service,
      keystrokes(text),
      ORG_KEY_INTERVAL_MS,
      `u${index}q${query}-`,
    );
    await sleep(THINK_MS.mean + (random() * 2 - 1) * THINK_MS.spread);
    // The debounce fired 120 ms after the last key, long before the thought ended.
    typed.push({ queryId: sent.at(-1), lastKeyAt });
  }
  await untilDone(
    typed.map((query) => query.queryId ?? ''),
    done,
  );
  engine.service.dispose();
  return { typed, batches };
}

/** Where one org size runs: which org, and the first of its simulated people. */
export interface OrgScalePlace {
  /** The org's label (its counters' suffix); the first org has none. */
  readonly org: string;
  readonly firstUser: number;
}

/**
 * `users` people of one org typing at once, each through their own engine (simulated people
 * `firstUser`, `firstUser + 1`, ...); figures from the sandbox's counters.
 */
export async function runOrgScale(
  sandbox: BenchSandbox,
  users: number,
  place: OrgScalePlace,
): Promise<OrgScaleFigures> {
  const orgs = sandbox.ready.orgs;
  const orgUrl = orgs.find((org) => org.label === place.org)?.url ?? '';
  const counted = place.org === orgs[0]?.label ? undefined : place.org;
  await sandbox.resetCounters();
  const cpuBefore = await sandbox.cpuMs();
  const started = performance.now();
  const people = await Promise.all(
    Array.from({ length: users }, (_, index) =>
      person(sandbox, orgUrl, place.firstUser + index, seeded(1000 + index)),
    ),
  );
  await sleep(SETTLE_MS);
  const wallMs = performance.now() - started;
  const sandboxCpuShare = Number(((await sandbox.cpuMs()) - cpuBefore) / wallMs).toFixed(3);
  const traffic = dataverseTraffic(await sandbox.counters(), counted);
  const typed = people.flatMap(({ typed: queries, batches }) =>
    queries.map((query) => ({ ...query, batches: batches.get(query.queryId ?? '') ?? [] })),
  );
  const firstResults: number[] = [];
  let throttled = 0;
  let unanswered = 0;
  for (const query of typed) {
    if (query.batches.some((batch) => batch.state === 'throttled')) throttled += 1;
    const shown = query.batches.find((batch) => batch.state === 'ok' || batch.state === 'cached');
    if (!shown) unanswered += 1;
    else firstResults.push(Math.round(shown.at - query.lastKeyAt));
  }
  const share = (count: number) => Number((count / typed.length).toFixed(3));
  return {
    users,
    org: place.org,
    typedQueries: typed.length,
    upstreamRequestsPerTypedQuery: Number((traffic.upstreamRequests / typed.length).toFixed(3)),
    throttled429: traffic.throttled429,
    non2xx: traffic.non2xx,
    shownThrottledShare: share(throttled),
    unansweredShare: share(unanswered),
    firstResultMs: { p50: percentile(firstResults, 50), p95: percentile(firstResults, 95) },
    sandboxCpuShare: Number(sandboxCpuShare),
    wallSeconds: Number((wallMs / 1000).toFixed(1)),
  };
}
