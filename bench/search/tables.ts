import { clients, type runDynamicsScenarios } from './dynamics-scenarios';
import type { OrgScaleFigures } from './org-scale';
import type { RefreshFigures } from './refresh';

const cell = (value: number | null, width: number) =>
  (value === null ? 'none' : String(value)).padStart(width);

/** Dynamics 365 alone: engine and both baselines per scenario. */
export function printDynamics(report: Awaited<ReturnType<typeof runDynamicsScenarios>>): void {
  console.log(
    '\nSearch: engine vs per-keystroke (naive) and 120 ms debounced clients, all on Dataverse search\n(large sample, 60-100 ms latency on every service, Dataverse search limits on)\n',
  );
  console.log(
    'scenario          client     requests  429s  non-2xx  leading ms  first result ms  complete ms  out-of-order',
  );
  for (const [name, row] of Object.entries(report.rows))
    for (const client of clients) {
      const figures = row[client];
      console.log(
        `${name.padEnd(17)} ${client.padEnd(10)} ${cell(figures.upstreamRequests, 8)}  ${cell(figures.throttled429, 4)}  ${cell(figures.non2xx, 7)}  ${cell(figures.leadingResultMs, 10)}  ${cell(figures.firstResultMs, 15)}  ${cell(figures.completeMs, 11)}  ${cell(figures.outOfOrderPaints, 12)}`,
      );
    }
  console.log(
    `\nratios: ${Object.entries(report.ratios)
      .map(([key, value]) => `${key}=${value ?? 'n/a'}`)
      .join('  ')}`,
  );
  console.log(
    `targets: ${Object.entries(report.targets)
      .map(([key, value]) => `${key}=${value ? 'met' : 'MISSED'}`)
      .join('  ')}\n`,
  );
}

export function printOrgScale(rows: readonly OrgScaleFigures[]): void {
  console.log('Org scale: people of one org typing at once, each with their own engine\n');
  console.log(
    'users  typed  requests/typed  429s  non-2xx  shown throttled  unanswered  first result p50  p95   sandbox CPU  wall s',
  );
  for (const row of rows)
    console.log(
      `${cell(row.users, 5)}  ${cell(row.typedQueries, 5)}  ${cell(row.upstreamRequestsPerTypedQuery, 14)}  ${cell(row.throttled429, 4)}  ${cell(row.non2xx, 7)}  ${cell(row.shownThrottledShare, 15)}  ${cell(row.unansweredShare, 10)}  ${cell(row.firstResultMs.p50, 16)}  ${cell(row.firstResultMs.p95, 4)}  ${cell(row.sandboxCpuShare, 11)}  ${cell(row.wallSeconds, 6)}`,
    );
  console.log('');
}

export function printRefresh(refresh: RefreshFigures): void {
  console.log(
    `Refresh: ${refresh.concurrentRequests} concurrent requests with an expired access token cost ${refresh.idpCallsPerConcurrentExpiry} token request(s) at Entra ID; ${refresh.answeredOk} answered ok\n`,
  );
}
