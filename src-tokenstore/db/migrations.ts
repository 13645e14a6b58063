import type { SqlDriver } from './sql-driver';

/** A statement both backends run as is, or one written for each (none: that backend has nothing to do). */
type Statement = string | { readonly sqlite?: string; readonly postgres?: string };

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
  {
    version: 4,
    statements: [
      // Directory sync from Dynamics 365 (src-tokenstore/directory/). Settings name where the
      // credential lives, never the credential.
      `CREATE TABLE directory_settings (
        tid TEXT NOT NULL PRIMARY KEY, settings TEXT NOT NULL, updated_at BIGINT NOT NULL, updated_by TEXT NOT NULL)`,
      // Where the next run starts: the change-tracking link, a paged read to resume, the full pass
      // under way (users it has not seen by its end are gone), and the schedule.
      `CREATE TABLE directory_state (
        tid TEXT NOT NULL PRIMARY KEY, delta_link TEXT, resume_link TEXT, full_pass TEXT,
        next_run_at BIGINT, last_success_at BIGINT, updated_at BIGINT NOT NULL)`,
      // object_id is kept lower-case: it is compared with the oid of tokens.
      `CREATE TABLE directory_users (
        tid TEXT NOT NULL, system_user_id TEXT NOT NULL, object_id TEXT, full_name TEXT NOT NULL,
        email TEXT, domain_name TEXT, title TEXT, business_unit_id TEXT, is_disabled INTEGER NOT NULL,
        status TEXT NOT NULL, inactive_reason TEXT, seen_pass TEXT, synced_at BIGINT NOT NULL,
        PRIMARY KEY (tid, system_user_id))`,
      'CREATE INDEX directory_users_by_object ON directory_users (tid, object_id)',
      'CREATE INDEX directory_users_by_name ON directory_users (tid, full_name, system_user_id)',
      `CREATE TABLE directory_groups (
        tid TEXT NOT NULL, team_id TEXT NOT NULL, name TEXT NOT NULL, object_id TEXT,
        team_type INTEGER NOT NULL, seen_pass TEXT, synced_at BIGINT NOT NULL,
        PRIMARY KEY (tid, team_id))`,
      'CREATE INDEX directory_groups_by_object ON directory_groups (tid, object_id)',
      `CREATE TABLE directory_group_members (
        tid TEXT NOT NULL, team_id TEXT NOT NULL, system_user_id TEXT NOT NULL, seen_pass TEXT,
        PRIMARY KEY (tid, team_id, system_user_id))`,
      'CREATE INDEX directory_group_members_by_user ON directory_group_members (tid, system_user_id)',
      `CREATE TABLE directory_runs (
        id TEXT NOT NULL PRIMARY KEY, tid TEXT NOT NULL, kind TEXT NOT NULL, run_trigger TEXT NOT NULL,
        target TEXT, status TEXT NOT NULL, started_at BIGINT NOT NULL, finished_at BIGINT,
        created INTEGER NOT NULL, updated INTEGER NOT NULL, deactivated INTEGER NOT NULL,
        requests INTEGER NOT NULL, error_code TEXT, error_message TEXT, upstream_code TEXT, note TEXT,
        holder TEXT NOT NULL)`,
      'CREATE INDEX directory_runs_by_tenant ON directory_runs (tid, started_at, id)',
      // Per-user syncs asked for (webhook, console) and not yet run; whoever holds the run lock next
      // takes them.
      `CREATE TABLE directory_requests (
        id TEXT NOT NULL PRIMARY KEY, tid TEXT NOT NULL, target TEXT NOT NULL, target_kind TEXT NOT NULL,
        run_trigger TEXT NOT NULL, requested_at BIGINT NOT NULL)`,
      'CREATE INDEX directory_requests_by_tenant ON directory_requests (tid, requested_at)',
      // SQLite's run lock: one lease per tenant (PostgreSQL uses an advisory lock instead).
      `CREATE TABLE directory_leases (
        tid TEXT NOT NULL PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL)`,
    ],
  },
  {
    // Applied after 6 where 6 came first (the directory sync shipped before the console); the two
    // touch different tables, so either order gives the same schema.
    version: 5,
    statements: [
      // What an admin change did, `{"before", "after"}` as JSON; null for reads and blob accesses.
      'ALTER TABLE audit_log ADD COLUMN detail TEXT',
      // The admin console's sessions, shared by every store instance over the database. Only the
      // SHA-256 of the cookie's random id is kept, so a copy of the table signs no one in.
      `CREATE TABLE admin_sessions (
        id_hash TEXT NOT NULL PRIMARY KEY, tid TEXT NOT NULL, oid TEXT NOT NULL, name TEXT NOT NULL,
        csrf TEXT NOT NULL, created_at BIGINT NOT NULL, seen_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)`,
      // Sign-ins under way: the PKCE verifier and the state, keyed by the hash of a short-lived cookie.
      `CREATE TABLE admin_sign_ins (
        id_hash TEXT NOT NULL PRIMARY KEY, state TEXT NOT NULL, verifier TEXT NOT NULL,
        return_to TEXT NOT NULL, created_at BIGINT NOT NULL)`,
    ],
  },
  {
    // 6, not 5: the admin console's branch adds version 5 (audit detail, console sessions).
    version: 6,
    statements: [
      // Teams and memberships are read by change tracking too: a deleted membership is reported by
      // its own id, and each table has its own delta link.
      'ALTER TABLE directory_group_members ADD COLUMN membership_id TEXT',
      'CREATE INDEX directory_group_members_by_id ON directory_group_members (tid, membership_id)',
      'ALTER TABLE directory_state ADD COLUMN teams_delta_link TEXT',
      'ALTER TABLE directory_state ADD COLUMN members_delta_link TEXT',
    ],
  },
  {
    version: 7,
    statements: [
      // PostgreSQL moves any value that makes a row over about 2 kB into the table's TOAST table
      // (https://www.postgresql.org/docs/current/storage-toast.html), so every read of a blob of a few kB
      // also searched the TOAST index and fetched its chunks. MAIN keeps it in the row, out of line
      // only when the row could not fit a page otherwise. Rows written from now on; SQLite keeps
      // values in its own pages anyway.
      { postgres: 'ALTER TABLE blobs ALTER COLUMN blob SET STORAGE MAIN' },
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
      for (const statement of migration.statements) {
        const sql = typeof statement === 'string' ? statement : statement[tx.dialect];
        if (sql !== undefined) await tx.run(sql);
      }
      await tx.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [
        migration.version,
        Date.now(),
      ]);
      count += 1;
    }
  });
  return count;
}
