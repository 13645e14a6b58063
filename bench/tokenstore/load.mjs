// Load generator, run as its own process so it does not share the server's event loop.
// The fallback where wrk is not installed (wrk-load.ts). Input: one JSON argument
// {url, headers, ca, connections, durationSec, overallRate?, amount?, targetsFile?},
// or `@<file>` naming a file that holds it (1,000 tokens do not fit in one argument).
// `targetsFile` holds [{path, authorization}]: requests go round-robin over them, so many distinct
// users are read, each with its own token. Output: one JSON line.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const argument = process.argv[2];
const config = JSON.parse(
  argument.startsWith('@') ? readFileSync(argument.slice(1), 'utf8') : argument,
);
const targets = config.targetsFile
  ? JSON.parse(readFileSync(config.targetsFile, 'utf8'))
  : undefined;
let next = 0;
const result = await autocannon({
  url: config.url,
  headers: config.headers,
  connections: config.connections,
  duration: config.durationSec,
  // A fixed number of requests instead of a duration (a warm-up that reaches every target once).
  ...(config.amount ? { amount: config.amount } : {}),
  ...(config.overallRate ? { overallRate: config.overallRate } : {}),
  ...(targets
    ? {
        requests: [
          {
            method: 'GET',
            setupRequest: (request) => {
              const target = targets[next++ % targets.length];
              return {
                ...request,
                path: target.path,
                headers: { ...request.headers, authorization: target.authorization },
              };
            },
          },
        ],
      }
    : {}),
  tlsOptions: { ca: config.ca },
});
/** This process's CPU time (user + system) per request sent. */
function clientCpuUsPerRequest(total) {
  const usage = process.cpuUsage();
  return total > 0 ? Math.round((usage.user + usage.system) / total) : 0;
}

process.stdout.write(
  `${JSON.stringify({
    requestsPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    total: result.requests.total,
    statusCodes: result.statusCodeStats,
    clientCpuUsPerRequest: clientCpuUsPerRequest(result.requests.total),
  })}\n`,
);
