import type { SqlDriver } from './sql-driver';

/** A statement both backends run as is, or one written for each. */
type Statement = string | { readonly sqlite: string; readonly postgres: string };

/**
 * One schema for both backends, written in the SQL they share where they share it. Append new
 * versions; never edit an applied one. Every table is keyed by tenant first: every query is scoped
 * by `tid`.
 */
export const migrations: readonly { version: number; statements: readonly Statement[] }[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE blobs (
        tid TEXT NOT NULL, oid TEXT NOT NULL, integration TEXT NOT NULL, device_id TEXT NOT NULL,
        blob TEXT NOT NULL, version TEXT NOT NULL, updated_at BIGINT NOT NULL,
        PRIMARY KEY (tid, oid, integration, device_id))`,
      `CREATE TABLE integrations (
        tid TEXT NOT NULL, integration TEXT NOT NULL, enabled INTEGER NOT NULL,
        audience_kind TEXT NOT NULL, settings TEXT NOT NULL, updated_at BIGINT NOT NULL, updated_by TEXT NOT NULL,
        PRIMARY KEY (tid, integration))`,
      `CREATE TABLE integration_members (
        tid TEXT NOT NULL, integration TEXT NOT NULL, member_kind TEXT NOT NULL, member_id TEXT NOT NULL,
        PRIMARY KEY (tid, integration, member_kind, member_id))`,
      `CREATE TABLE principals (
        tid TEXT NOT NULL, oid TEXT NOT NULL, groups TEXT NOT NULL, seen_at BIGINT NOT NULL,
        PRIMARY KEY (tid, oid))`,
      `CREATE TABLE audit_log (
        id TEXT NOT NULL PRIMARY KEY, at BIGINT NOT NULL, tid TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
        integration TEXT, device_id TEXT, target TEXT, outcome INTEGER NOT NULL, request_id TEXT NOT NULL)`,
      `CREATE INDEX audit_log_by_tenant ON audit_log (tid, at, id)`,
    ],
  },
  {
    version: 2,
    statements: [
      // One row per user and integration ('*' = all) an admin revoked; `epoch` counts the revokes,
      // so a write admitted before one can tell, inside its transaction, that it came since.
      `CREATE TABLE user_revocations (
        tid TEXT NOT NULL, oid TEXT NOT NULL, integration TEXT NOT NULL, epoch BIGINT NOT NULL,
        revoked_at BIGINT NOT NULL, revoked_by TEXT NOT NULL,
        PRIMARY KEY (tid, oid, integration))`,
    ],
  },
  {
    version: 3,
    statements: [
      // Blobs are keyed by connection too (two Dynamics orgs, Salesforce production and sandbox);
      // what was stored before is the integration's `default` connection. SQLite cannot change a
      // primary key in place: the table is rebuilt, inside the migration's transaction
      // (https://www.sqlite.org/lang_altertable.html#otheralter). PostgreSQL swaps the key in place
      // and keeps its constraint name (`blobs_pkey`, from version 1's CREATE TABLE).
      {
        sqlite: `CREATE TABLE blobs_v3 (
          tid TEXT NOT NULL, oid TEXT NOT NULL, integration TEXT NOT NULL, connection_id TEXT NOT NULL, device_id TEXT NOT NULL,
          blob TEXT NOT NULL, version TEXT NOT NULL, updated_at BIGINT NOT NULL,
          PRIMARY KEY (tid, oid, integration, connection_id, device_id))`,
        postgres: `ALTER TABLE blobs ADD COLUMN connection_id TEXT NOT NULL DEFAULT 'default'`,
      },
      {
        sqlite: `INSERT INTO blobs_v3 (tid, oid, integration, connection_id, device_id, blob, version, updated_at)
          SELECT tid, oid, integration, 'default', device_id, blob, version, updated_at FROM blobs`,
        postgres: 'ALTER TABLE blobs ALTER COLUMN connection_id DROP DEFAULT',
      },
      { sqlite: 'DROP TABLE blobs', postgres: 'ALTER TABLE blobs DROP CONSTRAINT blobs_pkey' },
      {
        sqlite: 'ALTER TABLE blobs_v3 RENAME TO blobs',
        postgres:
          'ALTER TABLE blobs ADD CONSTRAINT blobs_pkey PRIMARY KEY (tid, oid, integration, connection_id, device_id)',
      },
      // Which connection a blob access concerned; null for admin actions and for entries from before.
      'ALTER TABLE audit_log ADD COLUMN connection_id TEXT',
    ],
  },
];

// Any constant works; it only has to be the same for every store instance.
const MIGRATION_LOCK_ID = 7_203_117;

/**
 * Applies the migrations not yet recorded (up to `upTo`, for tests of an upgrade), in one
 * transaction. On PostgreSQL several store instances may start at once: an advisory lock makes them
 * take turns, and each re-reads what is applied inside its turn.
 */
export async function migrate(db: SqlDriver, upTo = Number.POSITIVE_INFINITY): Promise<number> {
  let count = 0;
  await db.transaction(async (tx) => {
    if (tx.dialect === 'postgres')
      await tx.all('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK_ID]);
    await tx.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
    );
    const applied = new Set(
      (await tx.all<{ version: number }>('SELECT version FROM schema_migrations')).map((row) =>
        Number(row.version),
      ),
    );
    for (const migration of migrations) {
      if (applied.has(migration.version) || migration.version > upTo) continue;
      for (const statement of migration.statements)
        await tx.run(typeof statement === 'string' ? statement : statement[tx.dialect]);
      await tx.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [
        migration.version,
        Date.now(),
      ]);
      count += 1;
    }
  });
  return count;
}
