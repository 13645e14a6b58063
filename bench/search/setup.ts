import type { FaultConfig, ServiceName } from '../../src-sandbox/start-sandbox';

/**
 * The latency every stand-in adds before it answers. The sandbox adds `latencyMs` plus a uniform
 * draw in [0, `jitterMs`) to each response of the service the knobs are set on (its `onRequest`
 * hook, before authentication and limits). Dataverse search has knobs of its own (`search`),
 * apart from the Web API's (`dataverse`), so both are set, and so is every other service a
 * scenario calls, sign-in included: 60 + [0, 40) = uniform 60-100 ms, mean 80 ms.
 */
export const LATENCY = { latencyMs: 60, jitterMs: 40 } as const;

const services: readonly ServiceName[] = [
  'entra',
  'dataverse',
  'search',
  'graph',
  'salesforce',
  'salesforce-oauth',
];

/** The same latency on every service, and Dataverse search's own limits on. */
export const BENCH_FAULTS: FaultConfig = Object.fromEntries(
  services.map((service) => [
    service,
    service === 'search' ? { ...LATENCY, searchLimits: true } : { ...LATENCY },
  ]),
);
