/**
 * `npm run bench:tokenstore`: authenticated blob GETs on SQLite and PostgreSQL, with and without
 * the verified-token cache, side by side with a bare Fastify HTTPS route on the same machine, in
 * the same run. Load comes from a second process (autocannon) over loopback HTTPS.
 * Prints a table, then one JSON line with every figure and ratio.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import pg from 'pg';
import { startTokenStore, type RunningTokenStore } from '../../src-tokenstore/start-token-store';
import { httpsJson } from '../../src-tokenstore/test/https-client';
import { newOid, startTestIdp, TENANT_A } from '../../src-tokenstore/test/test-idp';

const run = promisify(execFile);
const loadScript = fileURLToPath(new URL('./load.mjs', import.meta.url));
const DURATION_SEC = Number(process.env.BENCH_DURATION_SEC ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const PG_URL =
  process.env.WORKSTATION_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Load {
  readonly requestsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly total: number;
}

async function load(
  url: string,
  headers: Record<string, string>,
  ca: string,
  durationSec = DURATION_SEC,
): Promise<Load> {
  const { stdout } = await run(
    process.execPath,
    [loadScript, JSON.stringify({ url, headers, ca, connections: CONNECTIONS, durationSec })],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Load;
}

async function main(): Promise<void> {
  const idp = await startTestIdp();
  const ca = idp.tls.caCert;
  const tls = { cert: idp.tls.serverCert, key: idp.tls.serverKey };
  const blob = randomBytes(6 * 1024).toString('base64url'); // a typical encrypted MSAL cache
  const user = { tid: TENANT_A, oid: newOid() };
  const admin = { tid: TENANT_A, oid: newOid(), admin: true };
  const token = await idp.mint(user);
  const headers = { authorization: `Bearer ${token}` };
  const dir = mkdtempSync(join(tmpdir(), 'ws-bench-ts-'));
  const results: Record<string, Load> = {};

  // The baseline: the same TLS and framework, no auth and no database.
  const bare = Fastify({ https: tls, logger: false });
  bare.get('/bare', async () => ({ blob, version: 'v', updatedAt: new Date().toISOString() }));
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const bareUrl = `https://localhost:${(bare.server.address() as { port: number }).port}/bare`;
  await load(bareUrl, {}, ca, 1); // warm-up
  results.bare = await load(bareUrl, {}, ca);
  await bare.close();

  const measure = async (
    name: string,
    backend: { databaseUrl?: string; databaseSchema?: string; sqlitePath?: string },
    cacheSize: number,
  ) => {
    const store: RunningTokenStore = await startTokenStore({
      tls,
      auth: idp.authConfig({ cacheSize }),
      logger: false,
      limits: { requestsPerMinute: 10_000_000 },
      ...backend,
    });
    try {
      const adminHeaders = { authorization: `Bearer ${await idp.mint(admin)}` };
      await httpsJson(`${store.url}/v1/admin/integrations/dynamics`, {
        method: 'PUT',
        ca,
        headers: adminHeaders,
        body: { enabled: true, audience: { kind: 'all' }, settings: {} },
      });
      await httpsJson(`${store.url}/v1/blobs/dynamics/bench-device`, {
        method: 'PUT',
        ca,
        headers: { ...headers, 'if-none-match': '*' },
        body: { blob },
      });
      const url = `${store.url}/v1/blobs/dynamics/bench-device`;
      await load(url, headers, ca, 1);
      results[name] = await load(url, headers, ca);
    } finally {
      await store.stop();
    }
  };

  await measure('sqlite', { sqlitePath: join(dir, 'cached.sqlite') }, 10_000);
  await measure('sqliteNoCache', { sqlitePath: join(dir, 'uncached.sqlite') }, 0);

  const schema = `ws_bench_${randomBytes(4).toString('hex')}`;
  let postgres = true;
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
  } catch (error) {
    postgres = false;
    console.warn(
      `PostgreSQL unreachable at ${PG_URL}: ${(error as Error).message}; its rows are omitted.`,
    );
  }
  if (postgres) {
    await measure('postgres', { databaseUrl: PG_URL, databaseSchema: schema }, 10_000);
    await client.query(`DROP SCHEMA ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    await measure('postgresNoCache', { databaseUrl: PG_URL, databaseSchema: schema }, 0);
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  }
  await idp.stop();
  rmSync(dir, { recursive: true, force: true });

  const ratio = (a?: Load, b?: Load) =>
    a && b && b.requestsPerSec > 0
      ? Number((a.requestsPerSec / b.requestsPerSec).toFixed(3))
      : null;
  const ratios = {
    sqliteVsBare: ratio(results.sqlite, results.bare),
    sqliteNoCacheVsBare: ratio(results.sqliteNoCache, results.bare),
    cacheSpeedupSqlite: ratio(results.sqlite, results.sqliteNoCache),
    postgresVsSqlite: ratio(results.postgres, results.sqlite),
    postgresNoCacheVsSqliteNoCache: ratio(results.postgresNoCache, results.sqliteNoCache),
    cacheSpeedupPostgres: ratio(results.postgres, results.postgresNoCache),
  };
  const targets = {
    sqliteAtLeastQuarterOfBare: ratios.sqliteVsBare !== null && ratios.sqliteVsBare >= 0.25,
    sqliteP99Under10ms: (results.sqlite?.p99Ms ?? Infinity) < 10,
    postgresAtLeastHalfOfSqlite: ratios.postgresVsSqlite !== null && ratios.postgresVsSqlite >= 0.5,
  };

  console.log(
    `\nToken store: authenticated blob GET (${CONNECTIONS} connections, ${DURATION_SEC} s each, load from a second process)\n`,
  );
  console.log('scenario          req/s      p50 ms   p99 ms   non-2xx   vs bare');
  for (const [name, figures] of Object.entries(results)) {
    console.log(
      `${name.padEnd(16)} ${figures.requestsPerSec.toFixed(0).padStart(7)}   ${String(figures.p50Ms).padStart(6)}   ${String(figures.p99Ms).padStart(6)}   ${String(figures.non2xx).padStart(7)}   ${ratio(figures, results.bare)?.toFixed(3) ?? '-'}`,
    );
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
  console.log(
    JSON.stringify({
      bench: 'tokenstore',
      connections: CONNECTIONS,
      durationSec: DURATION_SEC,
      results,
      ratios,
      targets,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
