import { createHash, randomBytes } from 'node:crypto';
import type { SqlDriver } from '../db/sql-driver';

/** A signed-in admin, as the console's pages and actions need them. */
export interface ConsoleSession {
  readonly tid: string;
  readonly oid: string;
  readonly name: string;
  /** The synchronizer token every state-changing form carries back. */
  readonly csrf: string;
}

/** A sign-in under way: what the callback must find again. */
export interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
  readonly returnTo: string;
}

/** How long sessions and sign-ins live. */
export interface SessionLimits {
  /** A session unused this long ends. */
  readonly idleMs: number;
  /** A session ends this long after sign-in, used or not. */
  readonly maxMs: number;
  /** A sign-in not completed this long ago is refused. */
  readonly signInMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  idleMs: 30 * 60_000,
  maxMs: 8 * 3600_000,
  signInMs: 10 * 60_000,
};

/** 256 random bits, base64url: a session id, a CSRF token, a state, a PKCE verifier. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** Only the hash of a cookie's id is stored: a copy of the table holds no usable id. */
const hashOf = (id: string): string => createHash('sha256').update(id).digest('base64url');

/**
 * The console's sessions and sign-ins under way, in the store's database so every store instance
 * behind a load balancer knows them. Cookies carry only the random id.
 */
export class ConsoleSessions {
  constructor(
    private readonly db: SqlDriver,
    private readonly now: () => number,
    private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
  ) {}

  /** Records a sign-in under way and answers the id its cookie carries. */
  async beginSignIn(pending: PendingSignIn): Promise<string> {
    const id = randomToken();
    const now = this.now();
    await this.db.run('DELETE FROM admin_sign_ins WHERE created_at < ?', [
      now - this.limits.signInMs,
    ]);
    await this.db.run(
      'INSERT INTO admin_sign_ins (id_hash, state, verifier, return_to, created_at) VALUES (?, ?, ?, ?, ?)',
      [hashOf(id), pending.state, pending.verifier, pending.returnTo, now],
    );
    return id;
  }

  /** The sign-in a callback completes, used once: it is deleted whatever the answer. */
  async takeSignIn(id: string): Promise<PendingSignIn | undefined> {
    const rows = await this.db.all<{
      state: string;
      verifier: string;
      return_to: string;
      created_at: number | string;
    }>('SELECT state, verifier, return_to, created_at FROM admin_sign_ins WHERE id_hash = ?', [
      hashOf(id),
    ]);
    const { changes } = await this.db.run('DELETE FROM admin_sign_ins WHERE id_hash = ?', [
      hashOf(id),
    ]);
    const row = rows[0];
    // Two callbacks racing with one cookie: only the one that deleted the row goes on.
    if (!row || changes === 0) return undefined;
    if (this.now() - Number(row.created_at) > this.limits.signInMs) return undefined;
    return { state: row.state, verifier: row.verifier, returnTo: row.return_to };
  }

  /** Starts a session for a verified admin and answers the id its cookie carries. */
  async create(admin: Omit<ConsoleSession, 'csrf'>): Promise<string> {
    const id = randomToken();
    const now = this.now();
    await this.db.run('DELETE FROM admin_sessions WHERE expires_at < ? OR seen_at < ?', [
      now,
      now - this.limits.idleMs,
    ]);
    await this.db.run(
      'INSERT INTO admin_sessions (id_hash, tid, oid, name, csrf, created_at, seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [
        hashOf(id),
        admin.tid,
        admin.oid,
        admin.name,
        randomToken(),
        now,
        now,
        now + this.limits.maxMs,
      ],
    );
    return id;
  }

  /** The live session of a cookie's id, its idle clock restarted; undefined once it ended. */
  async find(id: string): Promise<ConsoleSession | undefined> {
    const now = this.now();
    const rows = await this.db.all<{
      tid: string;
      oid: string;
      name: string;
      csrf: string;
      seen_at: number | string;
      expires_at: number | string;
    }>('SELECT tid, oid, name, csrf, seen_at, expires_at FROM admin_sessions WHERE id_hash = ?', [
      hashOf(id),
    ]);
    const row = rows[0];
    if (!row) return undefined;
    if (now >= Number(row.expires_at) || now - Number(row.seen_at) >= this.limits.idleMs) {
      await this.end(id);
      return undefined;
    }
    await this.db.run('UPDATE admin_sessions SET seen_at = ? WHERE id_hash = ?', [now, hashOf(id)]);
    return { tid: row.tid, oid: row.oid, name: row.name, csrf: row.csrf };
  }

  /** Ends a session (sign-out, or found expired). */
  async end(id: string): Promise<void> {
    await this.db.run('DELETE FROM admin_sessions WHERE id_hash = ?', [hashOf(id)]);
  }
}
