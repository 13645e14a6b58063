import type { SearchBatch } from '../../src-shared/domain/search';
import { searchEntities } from '../../src-main/integrations/dynamics/dynamics-entities';
import type { RequestCounts } from '../../src-sandbox/faults/request-counter';
import { dynamicsApiFor, type Engine } from './dynamics-connection';
import type { BenchSandbox } from './remote-sandbox';
import { sleep, typeDebounced, untilDone } from './typing';

/** A request aborted in flight is still answered (and counted) by the stand-in a moment later. */
const SETTLE_MS = 300;

/** One client's figures for one scenario (typing, a burst, a repeat), read from the sandbox's counters. */
export interface Figures {
  upstreamRequests: number;
  throttled429: number;
  /** Every answer of Dataverse (search and Web API) outside 2xx, 429s included. */
  non2xx: number;
  /** From the final key to the first successful answer (maybe empty) for the final text; null = none came. */
  firstResultMs: number | null;
  /** From the first key to the first successful answer for the first text; null = none came or it was never sent (debounced away). */
  leadingResultMs: number | null;
  /** From the final key until the client had nothing more in flight for the final text. */
  completeMs: number | null;
  outOfOrderPaints: number;
}

/**
 * One Dataverse org's traffic: the first org's Web API counts as `dataverse` and its search API as
 * `search`; another org's as `dataverse:<label>` and `search:<label>`.
 */
export function dataverseTraffic(counts: RequestCounts, label?: string) {
  const suffix = label ? `:${label}` : '';
  let requests = 0;
  let throttled429 = 0;
  let non2xx = 0;
  for (const [key, count] of Object.entries(counts.byStatus)) {
    const [service, status] = key.split(' ');
    if (service !== `search${suffix}` && service !== `dataverse${suffix}`) continue;
    requests += count;
    if (status === '429') throttled429 += count;
    if (!/^2\d\d$/.test(status ?? '')) non2xx += count;
  }
  return { upstreamRequests: requests, throttled429, non2xx };
}

const since = (from: number | undefined, to: number | undefined) =>
  from === undefined || to === undefined ? null : Math.round(to - from);

/** The engine fed `texts` one every `gapMs` through the renderer's 120 ms debounce. */
export async function engineRun(
  sandbox: BenchSandbox,
  engine: Engine,
  texts: readonly string[],
  gapMs: number,
  idPrefix: string,
): Promise<Figures> {
  await sandbox.resetCounters();
  const painted: { queryId: string; at: number; withResults: boolean }[] = [];
  const done = new Map<string, number>();
  const off = engine.hub.subscribe((event, payload) => {
    if (event === 'search:didReceiveBatch') {
      const batch = payload as SearchBatch;
      painted.push({
        queryId: batch.queryId,
        at: performance.now(),
        withResults: batch.status.state === 'ok' || batch.status.state === 'cached',
      });
    }
    if (event === 'search:didComplete')
      done.set((payload as { queryId: string }).queryId, performance.now());
  });
  const firstKeyAt = performance.now();
  const { sent, lastKeyAt } = await typeDebounced(engine.service, texts, gapMs, idPrefix);
  await untilDone(sent, done);
  off();
  await sleep(SETTLE_MS);
  const last = sent.at(-1) ?? '';
  const leading = `${idPrefix}0`;
  // The engine drops events of superseded queries; count any paint of an older query after the latest's.
  const lastIndex = painted.findIndex((paint) => paint.queryId === last);
  const outOfOrder =
    lastIndex < 0
      ? 0
      : painted.slice(lastIndex + 1).filter((paint) => paint.queryId !== last).length;
  const shown = (queryId: string) =>
    painted.find((paint) => paint.queryId === queryId && paint.withResults)?.at;
  return {
    ...dataverseTraffic(await sandbox.counters()),
    firstResultMs: since(lastKeyAt, shown(last)),
    leadingResultMs: sent.includes(leading) ? since(firstKeyAt, shown(leading)) : null,
    completeMs: since(lastKeyAt, done.get(last)),
    outOfOrderPaints: outOfOrder,
  };
}

/**
 * A baseline client on the same endpoint as the engine (Dataverse search, the same body, top 20):
 * no gate, cache or cancellation; it paints whatever arrives. `debounceMs` 0 sends on every key;
 * 120 sends after a pause that long, as the renderer's debounce does for the engine.
 */
export async function baselineRun(
  sandbox: BenchSandbox,
  user: string,
  texts: readonly string[],
  gapMs: number,
  debounceMs: number,
): Promise<Figures> {
  const api = dynamicsApiFor(sandbox, user);
  // Its connection (TLS, token) is opened before anything is counted, as the engine's is.
  await api.whoAmI(new AbortController().signal);
  await sandbox.resetCounters();
  const paints: { index: number; at: number }[] = [];
  const settled = new Map<number, number>();
  const all: Promise<void>[] = [];
  const keyAt: number[] = [];
  const sentIndexes = new Set<number>();
  const send = (index: number, text: string) =>
    sentIndexes.add(index) &&
    all.push(
      api
        .search(text, searchEntities, 20, new AbortController().signal)
        .then(
          () => void paints.push({ index, at: performance.now() }),
          () => undefined,
        )
        .finally(() => void settled.set(index, performance.now())),
    );
  let pending: ReturnType<typeof setTimeout> | undefined;
  for (const [index, text] of texts.entries()) {
    keyAt.push(performance.now());
    if (debounceMs === 0) send(index, text);
    else {
      if (pending) clearTimeout(pending);
      pending = setTimeout(() => send(index, text), debounceMs);
    }
    await sleep(gapMs);
  }
  if (debounceMs > 0) await sleep(debounceMs);
  await Promise.all(all);
  await sleep(SETTLE_MS);
  const last = texts.length - 1;
  let newest = -1;
  let outOfOrder = 0;
  for (const paint of paints) {
    if (paint.index < newest) outOfOrder += 1;
    newest = Math.max(newest, paint.index);
  }
  const shown = (index: number) => paints.find((paint) => paint.index === index)?.at;
  return {
    ...dataverseTraffic(await sandbox.counters()),
    firstResultMs: since(keyAt[last], shown(last)),
    leadingResultMs: sentIndexes.has(0) ? since(keyAt[0], shown(0)) : null,
    completeMs: since(keyAt[last], settled.get(last)),
    outOfOrderPaints: outOfOrder,
  };
}
