/**
 * `npm run bench:search`: the search engine against a naive client, side by side in one run, on the
 * sandbox's large sample (53,000 rows) with 80 ± 20 ms latency and Dataverse search's limits
 * enforced. Typing "contoso ltd" one key every 60 ms (the renderer's 120 ms debounce applied), a
 * burst of 20 different queries, and a repeat within 5 minutes. Then the federated scenario
 * (federated.ts): Dynamics 365 + Salesforce + Outlook on the small sample, the same latency on
 * every service. Prints a table per scenario, then one JSON line.
 */
import pino from 'pino';
import type { SearchBatch } from '../../src-shared/domain/search';
import { startSandbox, type Sandbox } from '../../src-sandbox/start-sandbox';
import { createAuthorizedHttpClient } from '../../src-main/auth/token-injector';
import { DynamicsApi } from '../../src-main/integrations/dynamics/dynamics-api';
import { searchEntities } from '../../src-main/integrations/dynamics/dynamics-entities';
import { DynamicsProvider } from '../../src-main/integrations/dynamics/dynamics-provider';
import { EventHub } from '../../src-main/ipc/event-hub';
import { SearchService } from '../../src-main/search/search-service';
import { federatedSetup, runFederated } from './federated';
import { printFederated } from './federated-table';
import { KEY_INTERVAL_MS, keystrokes, sleep, typeDebounced, untilDone } from './typing';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';

interface Figures {
  upstreamRequests: number;
  throttled429: number;
  firstResultMs: number;
  completeMs: number;
  outOfOrderPaints: number;
}

function httpFor(sandbox: Sandbox) {
  return createAuthorizedHttpClient({
    displayName: 'Dynamics 365',
    baseURL: sandbox.dataverse.orgUrl,
    extraCa: sandbox.tls.caCert,
    tokenSource: {
      getAccessToken: () =>
        sandbox.mintAccessToken({
          user: ALEX,
          scope: `${sandbox.dataverse.orgUrl}/user_impersonation`,
        }),
    },
  });
}

async function engineTyping(
  sandbox: Sandbox,
  texts: readonly string[],
  gapMs: number,
  service: SearchService,
  hub: EventHub,
): Promise<Figures> {
  sandbox.counters.reset();
  const painted: { queryId: string; at: number }[] = [];
  const done = new Map<string, number>();
  const off = hub.subscribe((event, payload) => {
    if (event === 'search:didReceiveBatch')
      painted.push({ queryId: (payload as SearchBatch).queryId, at: performance.now() });
    if (event === 'search:didComplete')
      done.set((payload as { queryId: string }).queryId, performance.now());
  });
  const { sent, lastKeyAt } = await typeDebounced(service, texts, gapMs);
  await untilDone(sent, done);
  off();
  const last = sent.at(-1) ?? '';
  const counts = sandbox.counters.snapshot();
  const firstPaint = painted.find((paint) => paint.queryId === last);
  // The engine drops events of superseded queries; count any paint of an older query after the latest's.
  const lastIndex = painted.findIndex((paint) => paint.queryId === last);
  const outOfOrder =
    lastIndex < 0
      ? 0
      : painted.slice(lastIndex + 1).filter((paint) => paint.queryId !== last).length;
  return {
    upstreamRequests: (counts.byService.search ?? 0) + (counts.byService.dataverse ?? 0),
    throttled429: (counts.byStatus['search 429'] ?? 0) + (counts.byStatus['dataverse 429'] ?? 0),
    firstResultMs: firstPaint ? Math.round(firstPaint.at - lastKeyAt) : NaN,
    completeMs: done.has(last) ? Math.round((done.get(last) ?? 0) - lastKeyAt) : NaN,
    outOfOrderPaints: outOfOrder,
  };
}

/** The naive client: every keystroke sends one request per table, no cache, no cancellation; paints whatever arrives. */
async function naiveTyping(
  sandbox: Sandbox,
  texts: readonly string[],
  gapMs: number,
): Promise<Figures> {
  const api = new DynamicsApi(httpFor(sandbox));
  sandbox.counters.reset();
  const paints: { keystroke: number; at: number }[] = [];
  let lastKeyAt = 0;
  const all: Promise<void>[] = [];
  for (const [index, text] of texts.entries()) {
    lastKeyAt = performance.now();
    for (const entity of searchEntities) {
      all.push(
        api.searchTable(entity, text, 8, new AbortController().signal).then(
          () => void paints.push({ keystroke: index, at: performance.now() }),
          () => undefined,
        ),
      );
    }
    await sleep(gapMs);
  }
  await Promise.all(all);
  const last = texts.length - 1;
  const lastPaints = paints.filter((paint) => paint.keystroke === last);
  let newest = -1;
  let outOfOrder = 0;
  for (const paint of paints) {
    if (paint.keystroke < newest) outOfOrder += 1;
    newest = Math.max(newest, paint.keystroke);
  }
  const counts = sandbox.counters.snapshot();
  return {
    upstreamRequests: (counts.byService.search ?? 0) + (counts.byService.dataverse ?? 0),
    throttled429: (counts.byStatus['search 429'] ?? 0) + (counts.byStatus['dataverse 429'] ?? 0),
    firstResultMs: lastPaints.length
      ? Math.round(Math.min(...lastPaints.map((paint) => paint.at)) - lastKeyAt)
      : NaN,
    completeMs: lastPaints.length
      ? Math.round(Math.max(...lastPaints.map((paint) => paint.at)) - lastKeyAt)
      : NaN,
    outOfOrderPaints: outOfOrder,
  };
}

async function main(): Promise<void> {
  const latency = { latencyMs: 60, jitterMs: 40 }; // 80 ms ± 20 ms
  let dynamicsOnly: Record<string, unknown> | undefined;
  const sandbox = await startSandbox({
    size: 'large',
    faults: { search: { ...latency, searchLimits: true }, dataverse: latency },
  });
  try {
    const hub = new EventHub(pino({ level: 'silent' }));
    const provider = new DynamicsProvider(
      new DynamicsApi(httpFor(sandbox)),
      sandbox.dataverse.orgUrl,
    );
    const service = new SearchService(
      { providers: () => [provider], userKey: () => ALEX },
      hub,
      pino({ level: 'silent' }),
    );
    const typed = keystrokes('contoso ltd');
    const burst = [
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
    ];

    const engineTyped = await engineTyping(sandbox, typed, KEY_INTERVAL_MS, service, hub);
    const engineRepeat = await engineTyping(
      sandbox,
      ['contoso ltd'],
      KEY_INTERVAL_MS,
      service,
      hub,
    );
    await sleep(1200);
    const engineBurst = await engineTyping(sandbox, burst, 150, service, hub);
    const naiveTyped = await naiveTyping(sandbox, typed, KEY_INTERVAL_MS);
    await sleep(1200);
    const naiveBurst = await naiveTyping(sandbox, burst, 150);
    const naiveRepeat = await naiveTyping(sandbox, ['contoso ltd'], KEY_INTERVAL_MS);

    const perQuery = (figures: Figures, queries: number) =>
      Number((figures.upstreamRequests / queries).toFixed(3));
    const ratio = (a: number, b: number) => (b > 0 ? Number((a / b).toFixed(3)) : null);
    const rows = {
      typing: { engine: engineTyped, naive: naiveTyped, typedQueries: 1 },
      burst: { engine: engineBurst, naive: naiveBurst, typedQueries: burst.length },
      repeatWithin5min: { engine: engineRepeat, naive: naiveRepeat, typedQueries: 1 },
    };
    const ratios = {
      typingRequestsVsNaive: ratio(engineTyped.upstreamRequests, naiveTyped.upstreamRequests),
      burstRequestsVsNaive: ratio(engineBurst.upstreamRequests, naiveBurst.upstreamRequests),
    };
    const targets = {
      typingAtMost035OfNaive: (ratios.typingRequestsVsNaive ?? 1) <= 0.35,
      zero429:
        engineTyped.throttled429 + engineBurst.throttled429 + engineRepeat.throttled429 === 0,
      zeroOutOfOrderPaints: engineTyped.outOfOrderPaints + engineBurst.outOfOrderPaints === 0,
      repeatCostsNoRequest: engineRepeat.upstreamRequests === 0,
    };

    console.log(
      '\nSearch: engine vs naive client (large sample, 80 ± 20 ms latency, Dataverse search limits on)\n',
    );
    console.log(
      'scenario          client  requests  per query  429s  first result ms  complete ms  out-of-order paints',
    );
    for (const [name, row] of Object.entries(rows)) {
      for (const [client, figures] of [
        ['engine', row.engine],
        ['naive', row.naive],
      ] as const) {
        console.log(
          `${name.padEnd(17)} ${client.padEnd(7)} ${String(figures.upstreamRequests).padStart(8)}  ${String(perQuery(figures, row.typedQueries)).padStart(9)}  ${String(figures.throttled429).padStart(4)}  ${String(figures.firstResultMs).padStart(15)}  ${String(figures.completeMs).padStart(11)}  ${String(figures.outOfOrderPaints).padStart(19)}`,
        );
      }
    }
    console.log(
      `\nratios: ${Object.entries(ratios)
        .map(([k, v]) => `${k}=${v ?? 'n/a'}`)
        .join('  ')}`,
    );
    console.log(
      `targets: ${Object.entries(targets)
        .map(([k, v]) => `${k}=${v ? 'met' : 'MISSED'}`)
        .join('  ')}\n`,
    );
    dynamicsOnly = { rows, ratios, targets };
  } finally {
    await sandbox.stop();
  }

  // The small sample: the stand-ins' own work stays a few ms a request, so the figures are the
  // clients' and the latency's (a SOSL search scans every record: about 1 s of this process's CPU
  // per request on the large sample, which would queue the naive client's requests behind it).
  const faults = {
    search: { ...latency, searchLimits: true },
    dataverse: latency,
    graph: latency,
    salesforce: latency,
  };
  const federatedSandbox = await startSandbox({ size: 'small', faults });
  let federated: Awaited<ReturnType<typeof runFederated>>;
  try {
    federated = await runFederated(federatedSandbox, ALEX);
    printFederated(federated);
  } finally {
    await federatedSandbox.stop();
  }
  console.log(
    JSON.stringify({
      bench: 'search',
      ...dynamicsOnly,
      federated,
      federatedSetup: { ...federatedSetup, sample: 'small', faults },
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
