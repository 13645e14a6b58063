import { federatedSources } from './federated-sources';
import { FEDERATED_QUERIES, type PerSource, type SourceReport } from './federated';

/** Prints the scenario's table. */
export function printFederated(report: PerSource<SourceReport>): void {
  const ms = (value: number | null) => (value === null ? 'none' : String(value));
  console.log(
    'Federated search: Dynamics 365 + Salesforce + Outlook (small sample, 60-100 ms latency on each, Dataverse search limits on)',
  );
  console.log(
    `engine vs naive client, ${FEDERATED_QUERIES.length} typed queries of 10 keys (medians), then a burst of 20 queries\n`,
  );
  console.log(
    'source      client  requests/query  429s/query  first result ms  no result  burst requests/query',
  );
  for (const source of federatedSources) {
    for (const client of ['engine', 'naive'] as const) {
      const figures = report[source][client];
      console.log(
        `${source.padEnd(11)} ${client.padEnd(7)} ${String(figures.requestsPerQuery).padStart(14)}  ${String(figures.throttled429PerQuery).padStart(10)}  ${ms(figures.firstResultMs).padStart(15)}  ${`${figures.unanswered}/${FEDERATED_QUERIES.length}`.padStart(9)}  ${String(report[source].burst[client].requestsPerQuery).padStart(20)}`,
      );
    }
  }
  const shown = (value: number | null) => (value === null ? 'n/a' : String(value));
  console.log('\nratios (engine / naive):');
  for (const source of federatedSources)
    console.log(
      `  ${source.padEnd(11)} requests=${shown(report[source].ratio.requests)}  firstResult=${shown(report[source].ratio.firstResult)}  burstRequests=${shown(report[source].burst.ratio.requests)}`,
    );
  console.log('');
}
