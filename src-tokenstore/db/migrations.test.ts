import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrate, migrations } from './migrations';
import { PostgresDriver } from './postgres-driver';
import { SqliteDriver } from './sqlite-driver';

const PG_URL = process.env.WORKSTATION_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

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
    const instances = Array.from({ length: 4 }, () => new PostgresDriver(PG_URL, { schema, max: 2 }));
    try {
      const applied = await Promise.all(instances.map((db) => migrate(db)));
      expect(applied.reduce((sum, n) => sum + n, 0)).toBe(migrations.length);
    } finally {
      await Promise.all(instances.map((db) => db.close()));
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  });
});
