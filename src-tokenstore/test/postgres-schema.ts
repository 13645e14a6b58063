import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, it } from 'vitest';

/** The machine's PostgreSQL (trust auth); each test file works in a schema of its own. */
export const POSTGRES_URL =
  process.env.WORKSTATION_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema for one test file, and how to drop it. */
export interface TestSchema {
  readonly name: string;
  /** A client whose search_path is this schema (the caller ends it). */
  client(): Promise<pg.Client>;
  drop(): Promise<void>;
}

/**
 * Creates a schema, or answers why PostgreSQL is unusable. Like postgres-backend.test.ts: unreachable
 * on a developer's laptop is a loud skip, under CI a failure.
 */
export async function createTestSchema(): Promise<TestSchema | string> {
  const name = `ws_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${name}`);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await admin.end().catch(() => undefined);
  }
  return {
    name,
    client: async () => {
      const client = new pg.Client({
        connectionString: POSTGRES_URL,
        options: `-c search_path=${name}`,
      });
      await client.connect();
      return client;
    },
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA ${name} CASCADE`);
      await client.end();
    },
  };
}

/** Registers a failing test under CI, or warns, when PostgreSQL could not be used. */
export function reportPostgresUnavailable(what: string, reason: string): void {
  if (process.env.CI === 'true') {
    describe(what, () => {
      it('needs PostgreSQL at ' + POSTGRES_URL, () => {
        throw new Error(`PostgreSQL is unreachable under CI (${reason}).`);
      });
    });
  } else {
    console.warn(
      `\n*** ${what} NOT RUN: ${POSTGRES_URL} is unreachable (${reason}). CI runs it. ***\n`,
    );
  }
}
