/**
 * The token store as `npm run tokenstore` runs it with TOKENSTORE_WORKERS: a primary that forks
 * worker processes sharing one port (src-tokenstore/cluster/worker-cluster.ts), here started by
 * the bench (`store-under-test.ts`) so the store's CPU is its own processes' and not the bench's.
 * Configuration arrives as JSON in BENCH_STORE_CONFIG (the workers inherit it); the primary
 * answers `{url, pids}` over IPC once every worker serves, and stops them on `stop`.
 */
import { z } from 'zod';
import {
  isClusterWorker,
  reportWorkerReady,
  startWorkerCluster,
} from '../../src-tokenstore/cluster/worker-cluster';
import { startTokenStore, type TokenStoreAuthConfig } from '../../src-tokenstore/start-token-store';

const configSchema = z.object({
  workers: z.number().int().min(1),
  tls: z.object({ cert: z.string(), key: z.string() }),
  // Made by the bench from the test IdP's own config; the store checks what it needs.
  auth: z.custom<TokenStoreAuthConfig>((value) => typeof value === 'object' && value !== null),
  backend: z.object({
    databaseUrl: z.string().optional(),
    databaseSchema: z.string().optional(),
    databasePoolSize: z.number().int().optional(),
    sqlitePath: z.string().optional(),
  }),
});
export type StoreProcessConfig = z.infer<typeof configSchema>;

const config = configSchema.parse(JSON.parse(process.env.BENCH_STORE_CONFIG ?? 'null'));

if (isClusterWorker()) {
  const store = await startTokenStore({
    tls: config.tls,
    auth: config.auth,
    logger: false,
    limits: { requestsPerMinute: 10_000_000 },
    ...config.backend,
  });
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
