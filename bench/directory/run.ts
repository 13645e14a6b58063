/**
 * `npm run bench:directory`: the token store's directory sync against the sandbox's Dataverse with
 * 10,000 synthetic people added to the org's directory: a full sync, then a delta of 100 changes
 * (90 people edited, 10 disabled), on SQLite and on PostgreSQL. Each figure is a duration and the
 * requests the sandbox counted (Entra ID token requests, Dataverse Web API requests), with the
 * sandbox's latency set as in bench:search (60-100 ms per response). Prints a table, then one JSON
 * line.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { startSandbox, type Sandbox } from '../../src-sandbox/start-sandbox';
import { directorySettingsSchema } from '../../src-shared/tokenstore/directory-api';
import { directoryServicesOf, startTokenStore } from '../../src-tokenstore/start-token-store';

const PEOPLE = 10_000;
const CHANGES = 100;
const DISABLED = 10;
const TENANT = '0b0e0000-0000-4000-8000-00000000be0c';
const LATENCY = { latencyMs: 60, jitterMs: 40 };
const POSTGRES_URL =
  process.env.WORKSTATION_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Figure {
  readonly ms: number;
  readonly requests: { entra: number; dataverse: number };
  readonly run: { kind: string; created: number; updated: number; deactivated: number };
}

async function measure(
  sandbox: Sandbox,
  database: { sqlitePath?: string; databaseUrl?: string; databaseSchema?: string },
): Promise<{ full: Figure; delta: Figure }> {
  const store = await startTokenStore({
    tls: { cert: sandbox.tls.serverCert, key: sandbox.tls.serverKey },
    auth: {
      audience: 'bench',
      issuerTemplate: `${sandbox.entra.origin}/{tenantid}/v2.0`,
      jwksUri: sandbox.entra.jwksUri,
      jwksCa: sandbox.tls.caCert,
      // No route is called: the bench drives the sync service directly.
      allowedClients: ['bench'],
      requiredScope: 'none',
      adminRole: 'none',
    },
    logger: false,
    extraOrigins: [sandbox.dataverse.orgUrl, sandbox.entra.origin],
    ...database,
    directory: {
      env: { TOKENSTORE_DIRECTORY_SECRET: sandbox.directory.clientSecret },
      extraCa: sandbox.tls.caCert,
      tickMs: 0,
    },
  });
  try {
    const { repository, runs, sync } = directoryServicesOf(store.app);
    const settings = directorySettingsSchema([
      sandbox.dataverse.orgUrl,
      sandbox.entra.origin,
    ]).parse({
      enabled: true,
      orgUrl: sandbox.dataverse.orgUrl,
      tenantId: sandbox.directory.tenantId,
      clientId: sandbox.directory.clientId,
      authorityHost: sandbox.entra.origin,
      credential: { kind: 'secret', secret: { from: 'env', name: 'TOKENSTORE_DIRECTORY_SECRET' } },
    });
    await repository.putSettings(TENANT, 'bench', settings, Date.now());
    const once = async (full: boolean): Promise<Figure> => {
      sandbox.counters.reset();
      const started = performance.now();
      const answer = await sync.syncNow(TENANT, { full });
      await sync.whenIdle();
      const ms = performance.now() - started;
      const counts = sandbox.counters.snapshot().byService;
      const run = answer.running ? await runs.run(answer.running.id) : undefined;
      if (!run || run.status !== 'succeeded')
        throw new Error(`the run did not succeed: ${JSON.stringify(run?.error)}`);
      return {
        ms: Math.round(ms),
        requests: { entra: counts.entra ?? 0, dataverse: counts.dataverse ?? 0 },
        run: {
          kind: run.kind,
          created: run.created,
          updated: run.updated,
          deactivated: run.deactivated,
        },
      };
    };
    const full = await once(true);
    const directory = sandbox.directory.org('contoso');
    const people = directory
      .rows('systemuser')
      .filter((row) => !row.applicationid && !row.isdisabled)
      .slice(0, CHANGES);
    people.forEach((row, index) =>
      directory.updatePerson(
        String(row.systemuserid),
        index < DISABLED ? { isdisabled: true } : { title: `Bench title ${index}` },
      ),
    );
    const delta = await once(false);
    // Put the directory back as it was for the next database.
    people.forEach((row, index) =>
      directory.updatePerson(
        String(row.systemuserid),
        index < DISABLED ? { isdisabled: false } : { title: null },
      ),
    );
    return { full, delta };
  } finally {
    await store.stop();
  }
}

async function postgresSchema(): Promise<{ name: string; drop(): Promise<void> } | undefined> {
  const name = `ws_bench_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query(`CREATE SCHEMA ${name}`);
  } catch (error) {
    console.warn(`PostgreSQL skipped: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
  return {
    name,
    drop: async () => {
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA ${name} CASCADE`);
      await admin.end();
    },
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ws-bench-directory-'));
  const sandbox = await startSandbox({
    dataDir,
    directoryUsers: PEOPLE,
    faults: { entra: LATENCY, dataverse: LATENCY },
  });
  const results: Record<string, { full: Figure; delta: Figure }> = {};
  try {
    results.sqlite = await measure(sandbox, { sqlitePath: join(dataDir, 'bench.sqlite') });
    const schema = await postgresSchema();
    if (schema) {
      try {
        results.postgres = await measure(sandbox, {
          databaseUrl: POSTGRES_URL,
          databaseSchema: schema.name,
        });
      } finally {
        await schema.drop();
      }
    }
  } finally {
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(
    `\nDirectory sync: ${PEOPLE.toLocaleString('en')} synthetic people plus the demo org's, latency 60-100 ms per response\n`,
  );
  console.log('database  run     kind    ms       entra  dataverse  created  updated  deactivated');
  for (const [database, figures] of Object.entries(results))
    for (const [name, f] of Object.entries(figures))
      console.log(
        `${database.padEnd(9)} ${name.padEnd(7)} ${f.run.kind.padEnd(7)} ${String(f.ms).padStart(6)}   ${String(f.requests.entra).padStart(5)}  ${String(f.requests.dataverse).padStart(9)}  ${String(f.run.created).padStart(7)}  ${String(f.run.updated).padStart(7)}  ${String(f.run.deactivated).padStart(11)}`,
      );
  console.log(
    JSON.stringify({
      bench: 'directory',
      people: PEOPLE,
      changes: CHANGES,
      latency: LATENCY,
      results,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
