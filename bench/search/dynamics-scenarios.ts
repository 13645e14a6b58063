import { baselineRun, engineRun, type Figures } from './dynamics-clients';
import { engineFor } from './dynamics-connection';
import { FEDERATED_BURST } from './federated';
import type { BenchSandbox } from './remote-sandbox';
import { DEBOUNCE_MS, KEY_INTERVAL_MS, keystrokes, sleep } from './typing';

/** Between runs: Dataverse search's 1 request/s per user and the provider's 1.1 s gate are clear again. */
const PAUSE_MS = 1200;
const BURST_GAP_MS = 150;
const TYPED = 'contoso ltd';

export const clients = ['engine', 'naive', 'debounced'] as const;
export type Client = (typeof clients)[number];
type Row = Record<Client, Figures> & { typedQueries: number };

const ratio = (a: number | null, b: number | null) =>
  a !== null && b !== null && b > 0 ? Number((a / b).toFixed(3)) : null;

/**
 * Dynamics 365 alone, one user: the engine against two baselines on the same endpoint and limits
 * (Dataverse search, 1 request/s per user): `naive` sends on every key, `debounced` after a 120 ms
 * pause. Typing "contoso ltd" one key every 60 ms, the same query again (the engine's cache), and
 * a burst of 20 different queries 150 ms apart. The clients take turns, a pause between runs.
 */
export async function runDynamicsScenarios(sandbox: BenchSandbox, user: string) {
  const engine = engineFor(sandbox, user);
  const baseline = (texts: readonly string[], gapMs: number, client: Exclude<Client, 'engine'>) =>
    baselineRun(sandbox, user, texts, gapMs, client === 'naive' ? 0 : DEBOUNCE_MS);
  const run = async (texts: readonly string[], gapMs: number, prefix: string) => {
    const figures = {} as Record<Client, Figures>;
    for (const client of clients) {
      figures[client] =
        client === 'engine'
          ? await engineRun(sandbox, engine, texts, gapMs, prefix)
          : await baseline(texts, gapMs, client);
      await sleep(PAUSE_MS);
    }
    return figures;
  };
  try {
    // Connections (TLS, keep-alive, tokens) open before anything is measured.
    await run(['warm up'], KEY_INTERVAL_MS, 'warm');
    const rows: Record<'typing' | 'burst' | 'repeatWithin5min', Row> = {
      typing: { ...(await run(keystrokes(TYPED), KEY_INTERVAL_MS, 'typed')), typedQueries: 1 },
      repeatWithin5min: { ...(await run([TYPED], KEY_INTERVAL_MS, 'repeat')), typedQueries: 1 },
      burst: {
        ...(await run(FEDERATED_BURST, BURST_GAP_MS, 'burst')),
        typedQueries: FEDERATED_BURST.length,
      },
    };
    const { typing, burst, repeatWithin5min: repeat } = rows;
    const ratios = {
      typingRequestsVsNaive: ratio(typing.engine.upstreamRequests, typing.naive.upstreamRequests),
      typingRequestsVsDebounced: ratio(
        typing.engine.upstreamRequests,
        typing.debounced.upstreamRequests,
      ),
      burstRequestsVsNaive: ratio(burst.engine.upstreamRequests, burst.naive.upstreamRequests),
      burstRequestsVsDebounced: ratio(
        burst.engine.upstreamRequests,
        burst.debounced.upstreamRequests,
      ),
      typingFirstResultVsNaive: ratio(typing.engine.firstResultMs, typing.naive.firstResultMs),
      typingFirstResultVsDebounced: ratio(
        typing.engine.firstResultMs,
        typing.debounced.firstResultMs,
      ),
      burstLeadingResultVsNaive: ratio(burst.engine.leadingResultMs, burst.naive.leadingResultMs),
    };
    const engineRows = [typing.engine, burst.engine, repeat.engine];
    const targets = {
      typingAtMost035OfNaive: (ratios.typingRequestsVsNaive ?? 1) <= 0.35,
      zero429: engineRows.every((figures) => figures.throttled429 === 0),
      // Every answer outside 2xx the engine drew (429, 401, 503...) fails this one.
      zeroNon2xx: engineRows.every((figures) => figures.non2xx === 0),
      zeroOutOfOrderPaints: typing.engine.outOfOrderPaints + burst.engine.outOfOrderPaints === 0,
      repeatCostsNoRequest: repeat.engine.upstreamRequests === 0,
      // Leading edge first: the first query of a burst shows within 1.2x the naive client's time.
      burstLeadingResultWithin12xNaive: (ratios.burstLeadingResultVsNaive ?? Infinity) <= 1.2,
    };
    return { rows, ratios, targets };
  } finally {
    engine.service.dispose();
  }
}

/** `burst` of the JSON line: first-result ms of the burst, per client. */
export function burstSummary(rows: Awaited<ReturnType<typeof runDynamicsScenarios>>['rows']) {
  const per = (pick: (figures: Figures) => number | null) =>
    Object.fromEntries(clients.map((client) => [client, pick(rows.burst[client])]));
  return {
    queries: FEDERATED_BURST.length,
    gapMs: BURST_GAP_MS,
    /** From the first query's key to its first result. */
    leadingResultMs: per((figures) => figures.leadingResultMs),
    /** From the last query's key to its first result. */
    firstResultMs: per((figures) => figures.firstResultMs),
    requests: per((figures) => figures.upstreamRequests),
  };
}
