import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestSchema, POSTGRES_URL } from '../test/postgres-schema';
import { migrate, migrations } from './migrations';
import { PostgresDriver } from './postgres-driver';
import type { SqlDriver } from './sql-driver';
import { SqliteDriver } from './sqlite-driver';

const PG_URL =
  process.env.WORKSTATION_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Runs `check` on a fresh schema of the machine's PostgreSQL; unreachable fails under CI, else warns. */
async function onFreshPostgres(
  what: string,
  check: (db: PostgresDriver) => Promise<void>,
): Promise<void> {
  const schema = await createTestSchema();
  if (typeof schema === 'string') {
    if (process.env.CI === 'true') throw new Error(schema);
    console.warn(`*** ${what} NOT RUN: ${schema} ***`);
    return;
  }
  const db = new PostgresDriver(POSTGRES_URL, { schema: schema.name });
  try {
    await check(db);
  } finally {
    await db.close();
    await schema.drop();
  }
}

/**
 * Version 3 keys blobs by connection too. A store upgraded in place keeps every blob it held, as
 * connection `default` (what the two-segment blob routes still address), and the new key lets one
 * user hold several connections of an integration on one device.
 */
async function checkConnectionMigration(db: SqlDriver): Promise<void> {
  expect(await migrate(db, 2)).toBe(2);
  await db.run(
    'INSERT INTO blobs (tid, oid, integration, device_id, blob, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ['t1', 'o1', 'dynamics', 'device-0001', 'YmxvYg', 'v1', 1],
  );
  await db.run(
    'INSERT INTO audit_log (id, at, tid, actor, action, integration, device_id, target, outcome, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ['a1', 1, 't1', 'o1', 'blob.read', 'dynamics', 'device-0001', 'o1', 200, 'r1'],
  );
  expect(await migrate(db)).toBe(migrations.length - 2);

  expect(
    await db.all(
      'SELECT tid, oid, integration, connection_id, device_id, blob, version FROM blobs',
    ),
  ).toEqual([
    {
      tid: 't1',
      oid: 'o1',
      integration: 'dynamics',
      connection_id: 'default',
      device_id: 'device-0001',
      blob: 'YmxvYg',
      version: 'v1',
    },
  ]);
  expect(await db.all('SELECT id, connection_id FROM audit_log')).toEqual([
    { id: 'a1', connection_id: null },
  ]);
  const insert = (connection: string) =>
    db.run(
      'INSERT INTO blobs (tid, oid, integration, connection_id, device_id, blob, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tid, oid, integration, connection_id, device_id) DO NOTHING',
      ['t1', 'o1', 'dynamics', connection, 'device-0001', 'b3RoZXI', 'v2', 2],
    );
  expect((await insert('contoso-crm4')).changes).toBe(1);
  expect((await insert('default')).changes).toBe(0);
}

describe('migrations', () => {
  it('apply once on SQLite and are a no-op the second time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-ts-mig-'));
    const db = new SqliteDriver(join(dir, 'store.sqlite'));
    try {
      expect(await migrate(db)).toBe(migrations.length);
      expect(await migrate(db)).toBe(0);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keep existing blobs as connection default on SQLite, and key new ones by connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-ts-mig-'));
    const db = new SqliteDriver(join(dir, 'store.sqlite'));
    try {
      await checkConnectionMigration(db);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keep existing blobs as connection default on PostgreSQL, and key new ones by connection', () =>
    onFreshPostgres('PostgreSQL connection migration test', checkConnectionMigration));

  it('let several PostgreSQL instances start at once without a race', async () => {
    const schema = `ws_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await admin.connect();
    } catch (error) {
      if (process.env.CI === 'true') throw error;
      console.warn(`*** PostgreSQL migration race test NOT RUN: ${(error as Error).message} ***`);
      return;
    }
    await admin.query(`CREATE SCHEMA ${schema}`);
    const instances = Array.from(
      { length: 4 },
      () => new PostgresDriver(PG_URL, { schema, max: 2 }),
    );
    try {
      const applied = await Promise.all(instances.map((db) => migrate(db)));
      expect(applied.reduce((sum, n) => sum + n, 0)).toBe(migrations.length);
    } finally {
      await Promise.all(instances.map((db) => db.close()));
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  });

  it('keep a 6 kB blob in its row on PostgreSQL, where it once went to the TOAST table', () =>
    onFreshPostgres('PostgreSQL blob storage test', async (db) => {
      // Random base64, as the store's ciphertext is: PostgreSQL cannot compress it below 2 kB.
      const insert = (device: string) =>
        db.run(
          'INSERT INTO blobs (tid, oid, integration, connection_id, device_id, blob, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          ['t', 'o', 'dynamics', 'default', device, randomBytes(4_500).toString('base64'), 'v1', 1],
        );
      const toastBytes = async () => {
        const [row] = await db.all<{ bytes: string }>(
          "SELECT pg_relation_size(c.reltoastrelid) AS bytes FROM pg_class c WHERE c.oid = 'blobs'::regclass",
        );
        return Number(row?.bytes);
      };
      expect(await migrate(db, 6)).toBe(6);
      await insert('before');
      expect(await toastBytes()).toBeGreaterThan(0);
      await migrate(db);
      await db.run('TRUNCATE blobs');
      await insert('after');
      expect(await toastBytes()).toBe(0);
      const [read] = await db.all<{ size: number }>('SELECT length(blob) AS size FROM blobs');
      expect(read?.size).toBe(6_000);
    }));
});
