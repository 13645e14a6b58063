// Load generator, run as its own process so it does not share the server's event loop.
// Input: one JSON argument {url, headers, ca, connections, durationSec}; output: one JSON line.
import autocannon from 'autocannon';

const config = JSON.parse(process.argv[2]);
const result = await autocannon({
  url: config.url,
  headers: config.headers,
  connections: config.connections,
  duration: config.durationSec,
  tlsOptions: { ca: config.ca },
});
process.stdout.write(
  `${JSON.stringify({
    requestsPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    total: result.requests.total,
  })}\n`,
);
