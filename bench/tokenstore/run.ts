/**
 * `npm run bench:tokenstore`: authenticated blob GETs on SQLite and PostgreSQL, with and without
 * the verified-token cache, side by side with a bare Fastify HTTPS route on the same machine, in
 * the same run. Load comes from a second process (wrk, else autocannon: wrk-load.ts says why) over
 * loopback HTTPS. The bare route is measured between the store's runs, each pair repeated (median
 * of 3), so a ratio compares figures taken a few seconds apart rather than a baseline taken once.
 *
 * `users1000`: 1,000 distinct users (each with its own token) read their own blobs among 10,000 and
 * then 100,000 stored ones, on both databases, at saturation and at about half of the measured
 * peak rate, from the store run as `npm run tokenstore` runs it with TOKENSTORE_WORKERS (one
 * worker per core by default; `singleWorker` repeats the 100,000-blob reads with one). Any non-2xx
 * answer or socket error fails the target the run belongs to.
 *
 * Prints a table, then one JSON line with every figure and ratio. To profile the store (it runs in
 * this process): `BENCH_TOKENSTORE_ONLY=users1000 BENCH_TOKENSTORE_SKIP_BARE=1
 * BENCH_TOKENSTORE_PROFILE_DIR=/tmp/prof npm run bench:tokenstore` writes one profile per
 * users1000 scenario, of its measured runs only (seeding 100,000 blobs would dominate a whole-run
 * `--cpu-prof`), with the store in this process (one worker); SKIP_BARE leaves the bare route
 * (same process) idle, so every serving frame is the store's.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import pg from 'pg';
import type { SqlDriver } from '../../src-tokenstore/db/sql-driver';
import { startTokenStore, type RunningTokenStore } from '../../src-tokenstore/start-token-store';
import { httpsJson } from '../../src-tokenstore/test/https-client';
import { newOid, startTestIdp, TENANT_A } from '../../src-tokenstore/test/test-idp';
import type { StoreProcessConfigBackend } from './store-config';
import { storeInProcess, storeProcess, type StoreUnderTest } from './store-under-test';
import { loadWithWrk, wrkAvailable, writeWrkTargets, type WrkFigures } from './wrk-load';

const run = promisify(execFile);
const loadScript = fileURLToPath(new URL('./load.mjs', import.meta.url));
const DURATION_SEC = Number(process.env.BENCH_DURATION_SEC ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const USERS = 1000;
/** `users1000` skips the single-user scenarios (for profiling); `single` skips users1000. */
const ONLY = process.env.BENCH_TOKENSTORE_ONLY;
/** Which databases users1000 measures (`sqlite,postgres` by default), e.g. one at a time when profiling. */
const DATABASES = (process.env.BENCH_TOKENSTORE_DATABASES ?? 'sqlite,postgres').split(',');
/** Profiling: leave the bare route idle, so every frame in the profile is the store's. */
const SKIP_BARE = process.env.BENCH_TOKENSTORE_SKIP_BARE === '1';
/**
 * A directory: each users1000 scenario's measured runs (not the seeding or warm-up) are profiled
 * in this process and written there as `<database>-<blobs>.cpuprofile` (Chrome DevTools format).
 */
const PROFILE_DIR = process.env.BENCH_TOKENSTORE_PROFILE_DIR;
/** The store's PostgreSQL pool size in this run (unset: the store's default). */
const PG_POOL_SIZE = process.env.BENCH_PG_POOL_SIZE
  ? Number(process.env.BENCH_PG_POOL_SIZE)
  : undefined;
/** The store's worker processes in users1000 (TOKENSTORE_WORKERS); one per core by default. */
const WORKERS = PROFILE_DIR
  ? 1
  : Number(process.env.BENCH_TOKENSTORE_WORKERS ?? availableParallelism());
/** `autocannon` forces the fallback load generator even where wrk is installed. */
const GENERATOR =
  process.env.BENCH_LOAD_GENERATOR !== 'autocannon' && wrkAvailable() ? 'wrk' : 'autocannon';
const PG_URL =
  process.env.WORKSTATION_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A run's figures, whichever generator made the load (autocannon's load.mjs prints the same). */
interface Load extends WrkFigures {
  /** Server CPU time (user + system, the server's processes) per request, in microseconds. */
  readonly cpuUsPerRequest: number;
}

type Backend = StoreProcessConfigBackend;

/** The requests of a run, in a file of the load generator's format (`[{path, authorization}]`). */
interface Targets {
  /** JSON for autocannon (load.mjs), tab-separated lines for wrk (wrk-load.lua). */
  readonly file: string;
}

function writeTargets(
  file: string,
  targets: readonly { path: string; authorization: string }[],
): Targets {
  if (GENERATOR === 'wrk') return { file: writeWrkTargets(`${file}.tsv`, targets) };
  writeFileSync(`${file}.json`, JSON.stringify(targets));
  return { file: `${file}.json` };
}

interface LoadOptions {
  /** Absent: the URL itself, without credentials (the bare route). */
  readonly targets?: Targets;
  readonly durationSec?: number;
  /** About this many requests per second in all, instead of as many as the server answers. */
  readonly rate?: number;
  /** The server's CPU time so far (microseconds), read before and after the run. */
  readonly serverCpuUs: () => number;
}

const thisProcessCpuUs = () => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

async function load(url: string, ca: string, options: LoadOptions): Promise<Load> {
  const cpuBefore = options.serverCpuUs();
  const figures =
    GENERATOR === 'wrk'
      ? await loadWithWrk(url, {
          connections: CONNECTIONS,
          durationSec: options.durationSec ?? DURATION_SEC,
          targetsFile: options.targets?.file,
          // Closed loop with think time: each connection waits CONNECTIONS / rate on average
          // (exponential), so the aggregate comes out a little under `rate` (the answers take
          // time too); the rate reached is reported beside the latency.
          thinkMs: options.rate ? (CONNECTIONS * 1000) / options.rate : 0,
        })
      : await loadWithAutocannon(url, ca, options);
  const cpu = options.serverCpuUs() - cpuBefore;
  return {
    ...figures,
    cpuUsPerRequest: figures.total > 0 ? Math.round(cpu / figures.total) : 0,
  };
}

/** The fallback: autocannon in a second Node process (load.mjs). */
async function loadWithAutocannon(
  url: string,
  ca: string,
  options: LoadOptions,
): Promise<Omit<Load, 'cpuUsPerRequest'>> {
  const configFile = join(tmpdir(), `ws-bench-load-${randomBytes(4).toString('hex')}.json`);
  writeFileSync(
    configFile,
    JSON.stringify({
      url,
      headers: {},
      ca,
      connections: CONNECTIONS,
      durationSec: options.durationSec ?? DURATION_SEC,
      // autocannon meets a rate by sending each second's quota at the second's start, so its
      // half-load latency shows those bursts queueing more than the server.
      overallRate: options.rate,
      targetsFile: options.targets?.file,
    }),
  );
  try {
    const { stdout } = await run(process.execPath, [loadScript, `@${configFile}`], {
      maxBuffer: 1 << 20,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Omit<Load, 'cpuUsPerRequest'>;
  } finally {
    rmSync(configFile, { force: true });
  }
}

/** Starts the V8 CPU profiler when PROFILE_DIR is set (https://nodejs.org/api/inspector.html). */
async function startProfile(): Promise<{ stop(name: string): Promise<void> } | undefined> {
  if (!PROFILE_DIR) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(PROFILE_DIR, { recursive: true });
      writeFileSync(join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

/** The median of each figure over several runs; failures add up (one failed run fails them all). */
function medianOf(runs: readonly Load[]): Load {
  return {
    requestsPerSec: median(runs.map((r) => r.requestsPerSec)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    total: runs.reduce((sum, r) => sum + r.total, 0),
    cpuUsPerRequest: median(runs.map((r) => r.cpuUsPerRequest)),
    clientCpuUsPerRequest: median(runs.map((r) => r.clientCpuUsPerRequest)),
  };
}

const NO_RUN: Load = {
  requestsPerSec: 0,
  p50Ms: 0,
  p99Ms: 0,
  non2xx: 0,
  errors: 0,
  total: 0,
  cpuUsPerRequest: 0,
  clientCpuUsPerRequest: 0,
};

const clean = (figures?: Load) => !!figures && figures.non2xx === 0 && figures.errors === 0;

async function main(): Promise<void> {
  const idp = await startTestIdp();
  const ca = idp.tls.caCert;
  const tls = { cert: idp.tls.serverCert, key: idp.tls.serverKey };
  const blob = randomBytes(6 * 1024).toString('base64url'); // a typical encrypted MSAL cache
  const user = { tid: TENANT_A, oid: newOid() };
  const admin = { tid: TENANT_A, oid: newOid(), admin: true };
  const token = await idp.mint(user);
  const dir = mkdtempSync(join(tmpdir(), 'ws-bench-ts-'));
  const results: Record<string, Load> = {};
  const bareRuns: Load[] = [];
  console.warn(`load generator: ${GENERATOR}; users1000 store workers: ${WORKERS}`);

  // The baseline: the same TLS and framework, no auth and no database. It stays up all run and is
  // measured between the store's runs.
  const bare = Fastify({ https: tls, logger: false });
  bare.get('/bare', async () => ({ blob, version: 'v', updatedAt: new Date().toISOString() }));
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const bareUrl = `https://localhost:${(bare.server.address() as { port: number }).port}/bare`;
  const loadBare = (rate?: number) => load(bareUrl, ca, { serverCpuUs: thisProcessCpuUs, rate });
  await load(bareUrl, ca, { durationSec: 1, serverCpuUs: thisProcessCpuUs }); // warm-up

  /** ROUNDS x (bare, then `measure`); answers the medians of both. */
  const interleaved = async (measure: () => Promise<Load>) => {
    const bareHere: Load[] = [];
    const storeHere: Load[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      if (!SKIP_BARE) bareHere.push(await loadBare());
      storeHere.push(await measure());
    }
    bareRuns.push(...bareHere);
    return {
      bare: medianOf(bareHere.length > 0 ? bareHere : [NO_RUN]),
      store: medianOf(storeHere),
    };
  };

  const enableDynamics = async (url: string) => {
    const adminHeaders = { authorization: `Bearer ${await idp.mint(admin)}` };
    await httpsJson(`${url}/v1/admin/integrations/dynamics`, {
      method: 'PUT',
      ca,
      headers: adminHeaders,
      body: { enabled: true, audience: { kind: 'all' }, settings: {} },
    });
  };

  const startStore = async (backend: Backend, cacheSize: number) => {
    const store: RunningTokenStore = await startTokenStore({
      tls,
      auth: idp.authConfig({ cacheSize }),
      logger: false,
      limits: { requestsPerMinute: 10_000_000 },
      ...backend,
    });
    await enableDynamics(store.url);
    return store;
  };

  const barePerScenario: Record<string, Load> = {};
  const measure = async (name: string, backend: Backend, cacheSize: number) => {
    const store = await startStore(backend, cacheSize);
    try {
      await httpsJson(`${store.url}/v1/blobs/dynamics/bench-device`, {
        method: 'PUT',
        ca,
        headers: { authorization: `Bearer ${token}`, 'if-none-match': '*' },
        body: { blob },
      });
      const url = `${store.url}/v1/blobs/dynamics/bench-device`;
      const targets = writeTargets(join(dir, `single-${name}`), [
        { path: '/v1/blobs/dynamics/bench-device', authorization: `Bearer ${token}` },
      ]);
      const options = { targets, serverCpuUs: thisProcessCpuUs };
      await load(url, ca, { ...options, durationSec: 1 });
      const figures = await interleaved(() => load(url, ca, options));
      results[name] = figures.store;
      barePerScenario[name] = figures.bare;
    } finally {
      await store.stop();
    }
  };

  // users1000: tokens for 1,000 users, and the blobs they read, spread over devices.
  const users = await Promise.all(
    Array.from({ length: USERS }, async () => {
      const oid = newOid();
      return { oid, authorization: `Bearer ${await idp.mint({ tid: TENANT_A, oid })}` };
    }),
  );
  /** Inserts blobs until every user has `perUser` devices (`bench-d-0`..), in batched multi-row inserts. */
  const seed = async (db: SqlDriver, fromPerUser: number, perUser: number) => {
    const rowsPerStatement = 200;
    const rows: unknown[][] = [];
    for (let device = fromPerUser; device < perUser; device += 1)
      for (const { oid } of users)
        rows.push([
          TENANT_A,
          oid,
          'dynamics',
          'default',
          `bench-d-${device}`,
          blob,
          'v1',
          Date.now(),
        ]);
    for (let start = 0; start < rows.length; start += 5_000) {
      await db.transaction(async (tx) => {
        const chunk = rows.slice(start, start + 5_000);
        for (let at = 0; at < chunk.length; at += rowsPerStatement) {
          const part = chunk.slice(at, at + rowsPerStatement);
          await tx.run(
            'INSERT INTO blobs (tid, oid, integration, connection_id, device_id, blob, version, updated_at) VALUES ' +
              part.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', '),
            part.flat(),
          );
        }
      });
    }
    // What a store in service has had done long since, by autovacuum or SQLite's automatic
    // checkpoints: without it the measured runs would pay for the bulk insert just made (PostgreSQL
    // setting hint bits and autovacuum scanning 100,000 new rows; a WAL of 800 MB on SQLite).
    if (db.dialect === 'postgres') await db.run('VACUUM ANALYZE blobs');
    else await db.all('PRAGMA wal_checkpoint(TRUNCATE)');
  };
  /** Each user once per cycle, each on a random one of their devices. */
  const targetsOf = (perUser: number) => {
    const targets = [];
    for (let cycle = 0; cycle < 20; cycle += 1)
      for (const { authorization } of users)
        targets.push({
          path: `/v1/blobs/dynamics/default/bench-d-${Math.floor(Math.random() * perUser)}`,
          authorization,
        });
    return writeTargets(join(dir, `targets-${perUser}`), targets);
  };
  /** Every user's token verified (and cached) in every worker before anything is measured. */
  const warmUp = async (store: StoreUnderTest, targets: Targets) => {
    // With wrk, 3 s pass each of the 1,000 users about ten times, spread over the workers'
    // connections (a 1 s warm-up once reached only a few hundred); autocannon, slower per request
    // on this machine, gets twice as long.
    const durationSec = GENERATOR === 'wrk' ? 3 : 6;
    await load(store.url, ca, { targets, durationSec, serverCpuUs: store.cpuUs });
  };

  interface ManyUsers {
    p50: number;
    p99: number;
    requestsPerSec: number;
    cpuUsPerRequest: number;
    clientCpuUsPerRequest: number;
    non2xx: number;
    errors: number;
    halfLoad: {
      /** The rate asked for: half the measured peak. */
      targetRate: number;
      /** The rate reached. */
      rate: number;
      p50: number;
      p99: number;
      non2xx: number;
      errors: number;
      /** The bare route at the same rate, right after: what the machine alone adds to the tail. */
      bare: { p50: number; p99: number } | null;
    };
    bare: { requestsPerSec: number; p50: number; p99: number; cpuUsPerRequest: number };
  }
  interface SingleWorker {
    p50: number;
    p99: number;
    requestsPerSec: number;
    cpuUsPerRequest: number;
    non2xx: number;
    errors: number;
  }
  const users1000: Record<string, Record<string, ManyUsers>> = {};
  const singleWorker: Record<string, SingleWorker> = {};
  const openStore = (backend: Backend, workers: number) => {
    const config = { tls, auth: idp.authConfig({ cacheSize: 10_000 }), backend };
    return PROFILE_DIR ? storeInProcess(config) : storeProcess({ ...config, workers });
  };
  const measureManyUsers = async (name: 'sqlite' | 'postgres', backend: Backend) => {
    let store = await openStore(backend, WORKERS);
    await enableDynamics(store.url);
    users1000[name] = {};
    let targets: Targets | undefined;
    try {
      let seeded = 0;
      for (const [label, perUser] of [
        ['blobs10k', 10],
        ['blobs100k', 100],
      ] as const) {
        const started = Date.now();
        await seed(store.db, seeded, perUser);
        seeded = perUser;
        console.warn(
          `users1000 ${name}: seeded ${USERS * perUser} blobs in ${Date.now() - started} ms`,
        );
        targets = targetsOf(perUser);
        const url = `${store.url}/v1/blobs/dynamics/default/bench-d-0`;
        const options = { targets, serverCpuUs: store.cpuUs };
        await warmUp(store, targets);
        const profile = await startProfile();
        const figures = await interleaved(() => load(url, ca, options));
        const targetRate = Math.max(1, Math.floor(figures.store.requestsPerSec / 2));
        const half = await load(url, ca, { ...options, rate: targetRate });
        const bareHalf = SKIP_BARE ? undefined : await loadBare(targetRate);
        await profile?.stop(`${name}-${label}`);
        users1000[name][label] = {
          p50: figures.store.p50Ms,
          p99: figures.store.p99Ms,
          requestsPerSec: figures.store.requestsPerSec,
          cpuUsPerRequest: figures.store.cpuUsPerRequest,
          clientCpuUsPerRequest: figures.store.clientCpuUsPerRequest,
          non2xx: figures.store.non2xx,
          errors: figures.store.errors,
          halfLoad: {
            targetRate,
            rate: Math.round(half.requestsPerSec),
            p50: half.p50Ms,
            p99: half.p99Ms,
            non2xx: half.non2xx,
            errors: half.errors,
            bare: bareHalf ? { p50: bareHalf.p50Ms, p99: bareHalf.p99Ms } : null,
          },
          bare: {
            requestsPerSec: figures.bare.requestsPerSec,
            p50: figures.bare.p50Ms,
            p99: figures.bare.p99Ms,
            cpuUsPerRequest: figures.bare.cpuUsPerRequest,
          },
        };
      }
      // The same 100,000-blob reads from one worker: what the workers bring.
      if (WORKERS > 1 && targets) {
        await store.stop();
        store = await openStore(backend, 1);
        const options = { targets, serverCpuUs: store.cpuUs };
        await warmUp(store, targets);
        const runs: Load[] = [];
        for (let round = 0; round < ROUNDS; round += 1)
          runs.push(await load(`${store.url}/v1/blobs/dynamics/default/bench-d-0`, ca, options));
        const figures = medianOf(runs);
        singleWorker[name] = {
          p50: figures.p50Ms,
          p99: figures.p99Ms,
          requestsPerSec: figures.requestsPerSec,
          cpuUsPerRequest: figures.cpuUsPerRequest,
          non2xx: figures.non2xx,
          errors: figures.errors,
        };
      }
    } finally {
      await store.stop();
    }
  };

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
  const pgBackend = { databaseUrl: PG_URL, databaseSchema: schema, databasePoolSize: PG_POOL_SIZE };
  const freshSchema = () => client.query(`DROP SCHEMA ${schema} CASCADE; CREATE SCHEMA ${schema}`);

  if (ONLY !== 'users1000') {
    await measure('sqlite', { sqlitePath: join(dir, 'cached.sqlite') }, 10_000);
    await measure('sqliteNoCache', { sqlitePath: join(dir, 'uncached.sqlite') }, 0);
    if (postgres) {
      await measure('postgres', pgBackend, 10_000);
      await freshSchema();
      await measure('postgresNoCache', pgBackend, 0);
      await freshSchema();
    }
  }
  if (ONLY !== 'single') {
    if (DATABASES.includes('sqlite'))
      await measureManyUsers('sqlite', { sqlitePath: join(dir, 'users1000.sqlite') });
    if (postgres && DATABASES.includes('postgres')) await measureManyUsers('postgres', pgBackend);
  }
  if (postgres) {
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  }
  await bare.close();
  await idp.stop();
  rmSync(dir, { recursive: true, force: true });

  // The single-user table's baseline: the median of the bare runs next to the cached SQLite runs.
  if (barePerScenario.sqlite) results.bare = barePerScenario.sqlite;
  const ratio = (a?: Load, b?: Load) =>
    a && b && b.requestsPerSec > 0
      ? Number((a.requestsPerSec / b.requestsPerSec).toFixed(3))
      : null;
  const ratios = {
    sqliteVsBare: ratio(results.sqlite, barePerScenario.sqlite),
    sqliteNoCacheVsBare: ratio(results.sqliteNoCache, barePerScenario.sqliteNoCache),
    cacheSpeedupSqlite: ratio(results.sqlite, results.sqliteNoCache),
    postgresVsSqlite: ratio(results.postgres, results.sqlite),
    postgresNoCacheVsSqliteNoCache: ratio(results.postgresNoCache, results.sqliteNoCache),
    cacheSpeedupPostgres: ratio(results.postgres, results.postgresNoCache),
  };
  const targets = {
    sqliteAtLeastQuarterOfBare:
      ratios.sqliteVsBare !== null && ratios.sqliteVsBare >= 0.25 && clean(results.sqlite),
    sqliteP99Under10ms: (results.sqlite?.p99Ms ?? Infinity) < 10 && clean(results.sqlite),
    postgresAtLeastHalfOfSqlite:
      ratios.postgresVsSqlite !== null &&
      ratios.postgresVsSqlite >= 0.5 &&
      clean(results.postgres) &&
      clean(results.sqlite),
  };

  const rps = (figures?: ManyUsers) => figures?.requestsPerSec ?? 0;
  const share = (a: number, b: number) => (b > 0 ? Number((a / b).toFixed(3)) : null);
  const manyClean = (figures?: ManyUsers) =>
    !!figures &&
    figures.non2xx === 0 &&
    figures.errors === 0 &&
    figures.halfLoad.non2xx === 0 &&
    figures.halfLoad.errors === 0;
  const tokenstoreRatios: Record<string, number | null> = {};
  for (const db of ['sqlite', 'postgres'])
    for (const blobs of ['blobs10k', 'blobs100k']) {
      const figures = users1000[db]?.[blobs];
      tokenstoreRatios[`${db}VsBare_${blobs}`] = figures
        ? share(figures.requestsPerSec, figures.bare.requestsPerSec)
        : null;
    }
  for (const blobs of ['blobs10k', 'blobs100k']) {
    tokenstoreRatios[`postgresVsSqlite_${blobs}`] = users1000.postgres
      ? share(rps(users1000.postgres[blobs]), rps(users1000.sqlite?.[blobs]))
      : null;
    // The same comparison through each database's bare runs, taken beside it: the two databases
    // run minutes apart, and on a shared machine the load drifts more than they differ.
    const pgVsBare = tokenstoreRatios[`postgresVsBare_${blobs}`];
    const sqliteVsBare = tokenstoreRatios[`sqliteVsBare_${blobs}`];
    tokenstoreRatios[`postgresVsSqliteViaBare_${blobs}`] =
      pgVsBare != null && sqliteVsBare != null ? share(pgVsBare, sqliteVsBare) : null;
  }
  // The two databases with one worker each (the store's default): the database compared, not how
  // far a second worker scales beside a PostgreSQL that needs the same cores.
  tokenstoreRatios.postgresVsSqlite_singleWorker =
    singleWorker.postgres && singleWorker.sqlite
      ? share(singleWorker.postgres.requestsPerSec, singleWorker.sqlite.requestsPerSec)
      : null;
  const singleClean = (f: SingleWorker | undefined) =>
    f !== undefined && f.non2xx === 0 && f.errors === 0;
  const measuredMany = Object.values(users1000).flatMap((byBlobs) => Object.values(byBlobs));
  const tokenstore = {
    users1000,
    singleWorker,
    bare: (() => {
      const figures = medianOf(bareRuns);
      return {
        requestsPerSec: figures.requestsPerSec,
        p50: figures.p50Ms,
        p99: figures.p99Ms,
        cpuUsPerRequest: figures.cpuUsPerRequest,
        runs: bareRuns.length,
      };
    })(),
    ratios: tokenstoreRatios,
    targets: {
      p99Under10ms:
        measuredMany.length === 4 && measuredMany.every((f) => f.p99 < 10 && manyClean(f)),
      postgresAtLeast07xSqlite:
        users1000.postgres !== undefined &&
        ['blobs10k', 'blobs100k'].every(
          (blobs) =>
            (tokenstoreRatios[`postgresVsSqlite_${blobs}`] ?? 0) >= 0.7 &&
            manyClean(users1000.postgres?.[blobs]) &&
            manyClean(users1000.sqlite?.[blobs]),
        ),
      singleWorkerP99Under10ms:
        singleClean(singleWorker.postgres) &&
        singleClean(singleWorker.sqlite) &&
        [singleWorker.postgres, singleWorker.sqlite].every((f) => (f?.p99 ?? Infinity) < 10),
      postgresAtLeast07xSqliteSingleWorker:
        (tokenstoreRatios.postgresVsSqlite_singleWorker ?? 0) >= 0.7 &&
        singleClean(singleWorker.postgres) &&
        singleClean(singleWorker.sqlite),
    },
  };

  console.log(
    `\nToken store: authenticated blob GET (${CONNECTIONS} connections, ${DURATION_SEC} s each, medians of ${ROUNDS} runs, each after a bare run; load from a second process)\n`,
  );
  console.log(
    'scenario          req/s      p50 ms   p99 ms   non-2xx   vs bare   cpu us/req (bare)',
  );
  for (const [name, figures] of Object.entries(results)) {
    console.log(
      `${name.padEnd(16)} ${figures.requestsPerSec.toFixed(0).padStart(7)}   ${String(figures.p50Ms).padStart(6)}   ${String(figures.p99Ms).padStart(6)}   ${String(figures.non2xx + figures.errors).padStart(7)}   ${(ratio(figures, barePerScenario[name])?.toFixed(3) ?? '-').padStart(7)}   ${String(figures.cpuUsPerRequest).padStart(5)} (${barePerScenario[name]?.cpuUsPerRequest ?? '-'})`,
    );
  }
  console.log(
    `\n${USERS} distinct users reading their own blobs, store with ${WORKERS} worker(s) (saturation; then at about half the peak rate)\n`,
  );
  console.log(
    'database  blobs      req/s   p50 ms   p99 ms   failed   vs bare   cpu us/req (bare)   | half: rate  p50 ms   p99 ms   bare p99',
  );
  for (const [db, byBlobs] of Object.entries(users1000))
    for (const [blobs, f] of Object.entries(byBlobs))
      console.log(
        `${db.padEnd(9)} ${blobs.padEnd(9)} ${f.requestsPerSec.toFixed(0).padStart(6)}   ${String(f.p50).padStart(6)}   ${String(f.p99).padStart(6)}   ${String(f.non2xx + f.errors + f.halfLoad.non2xx + f.halfLoad.errors).padStart(6)}   ${String(tokenstoreRatios[`${db}VsBare_${blobs}`]).padStart(7)}   ${String(f.cpuUsPerRequest).padStart(5)} (${f.bare.cpuUsPerRequest})   | ${`${f.halfLoad.rate}/${f.halfLoad.targetRate}`.padStart(10)}  ${String(f.halfLoad.p50).padStart(6)}   ${String(f.halfLoad.p99).padStart(6)}   ${String(f.halfLoad.bare?.p99 ?? '-').padStart(8)}`,
      );
  for (const [db, f] of Object.entries(singleWorker))
    console.log(
      `${db.padEnd(9)} blobs100k, 1 worker: ${f.requestsPerSec.toFixed(0)} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms, ${f.cpuUsPerRequest} cpu us/req, ${f.non2xx + f.errors} failed`,
    );
  console.log(
    `\nratios: ${Object.entries({ ...ratios, ...tokenstoreRatios })
      .map(([k, v]) => `${k}=${v ?? 'n/a'}`)
      .join('  ')}`,
  );
  console.log(
    `targets: ${Object.entries({ ...targets, ...tokenstore.targets })
      .map(([k, v]) => `${k}=${v ? 'met' : 'MISSED'}`)
      .join('  ')}\n`,
  );
  console.log(
    JSON.stringify({
      bench: 'tokenstore',
      loadGenerator: GENERATOR,
      storeWorkers: WORKERS,
      connections: CONNECTIONS,
      durationSec: DURATION_SEC,
      rounds: ROUNDS,
      pgPoolSize: PG_POOL_SIZE ?? 'default',
      results,
      ratios,
      targets,
      tokenstore,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
