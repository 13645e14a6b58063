/**
 * The token store as `npm run tokenstore` runs it with TOKENSTORE_WORKERS: a primary that forks
 * worker processes sharing one port (src-tokenstore/cluster/worker-cluster.ts), here started by
 * the bench (`store-under-test.ts`) so the store's CPU is its own processes' and not the bench's.
 * Configuration arrives as JSON in BENCH_STORE_CONFIG (the workers inherit it); the primary
 * answers `{url, pids}` over IPC once every worker serves, and stops them on `stop`.
 */
import {
  isClusterWorker,
  reportWorkerReady,
  startWorkerCluster,
} from '../../src-tokenstore/cluster/worker-cluster';
import { startTokenStore } from '../../src-tokenstore/start-token-store';
import { storeConfigSchema, storeOptions } from './store-config';

const config = storeConfigSchema.parse(JSON.parse(process.env.BENCH_STORE_CONFIG ?? 'null'));

if (isClusterWorker()) {
  const store = await startTokenStore(storeOptions(config));
  process.once('SIGTERM', () => void store.stop().then(() => process.exit(0)));
  reportWorkerReady(store.url);
} else {
  const cluster = await startWorkerCluster({
    workers: config.workers,
    log: (message) => process.stderr.write(`store: ${message}\n`),
  });
  process.send?.({ url: cluster.url, pids: [process.pid, ...cluster.pids()] });
  process.on('message', (message) => {
    if (message === 'stop') void cluster.stop().then(() => process.exit(0));
  });
}
