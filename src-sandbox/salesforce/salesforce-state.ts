import { randomBytes } from 'node:crypto';
import type { FaultKnobs } from '../faults/fault-controller';
import type { SalesforceOrg, SalesforceUser } from './salesforce-org';
import type { ShapedRecord } from './soql-engine';

/** An /authorize request waiting for the user's answer on the consent page. */
export interface PendingAuthorization {
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly state: string | undefined;
  readonly nonce: string | undefined;
  readonly codeChallenge: string | undefined;
  readonly createdAt: number;
}

/** An issued authorization code: single use, valid 15 minutes. */
export interface IssuedCode extends PendingAuthorization {
  readonly user: SalesforceUser;
  used: boolean;
  readonly expiresAt: number;
}

/** An access token (a session id): opaque, with an idle timeout; revoked with its refresh token. */
export interface Session {
  readonly token: string;
  readonly user: SalesforceUser;
  readonly scopes: readonly string[];
  readonly refreshToken: string | undefined;
  readonly issuedAt: number;
  lastUsedAt: number;
  revoked: boolean;
}

/** A refresh token and the access tokens issued from it. */
export interface RefreshGrant {
  readonly token: string;
  readonly user: SalesforceUser;
  readonly scopes: readonly string[];
  readonly sessions: Set<string>;
  revoked: boolean;
}

/** The rows of a query still to be fetched through `nextRecordsUrl`. */
export interface QueryCursor {
  readonly userId: string;
  readonly records: readonly ShapedRecord[];
  readonly batchSize: number;
  lastUsedAt: number;
}

/** Query locators expire after 15 minutes of inactivity. */
export const CURSOR_IDLE_MS = 15 * 60_000;
export const CODE_TTL_MS = 15 * 60_000;

const opaque = (bytes: number) => randomBytes(bytes).toString('base64url');

/** Everything one environment's stand-in remembers between requests (in memory), plus its API usage. */
export class SalesforceState {
  readonly pending = new Map<string, PendingAuthorization>();
  readonly codes = new Map<string, IssuedCode>();
  readonly sessions = new Map<string, Session>();
  readonly refreshTokens = new Map<string, RefreshGrant>();
  readonly cursors = new Map<string, QueryCursor>();
  /** REST API requests counted against the org's daily allocation. */
  apiRequestsUsed = 0;
  #sessionsExpired = false;
  #refreshTokensRevoked = false;

  constructor(readonly org: SalesforceOrg) {}

  /**
   * Applies the Salesforce knobs the moment they are switched on: every access token (or refresh
   * token) issued so far dies, as when an admin expires sessions or revokes the app's tokens;
   * tokens issued afterwards work. Called before each request is handled.
   */
  observe(knobs: FaultKnobs): void {
    if (knobs.sessionsExpired && !this.#sessionsExpired)
      for (const session of this.sessions.values()) session.revoked = true;
    if (knobs.refreshTokensRevoked && !this.#refreshTokensRevoked)
      for (const grant of this.refreshTokens.values()) grant.revoked = true;
    this.#sessionsExpired = knobs.sessionsExpired;
    this.#refreshTokensRevoked = knobs.refreshTokensRevoked;
  }

  newCode(): string {
    // Codes are base64 with padding in the wild; clients must URL-decode them from the callback.
    return `aPrx${opaque(42)}==`;
  }

  /** Issues an access token (`<15-character org id>!<secret>`, like a Salesforce session id). */
  issueSession(
    user: SalesforceUser,
    scopes: readonly string[],
    refreshToken: string | undefined,
  ): Session {
    const now = Date.now();
    const session: Session = {
      token: `${this.org.orgId.slice(0, 15)}!AQ${opaque(72).replace(/-/g, '.')}`,
      user,
      scopes,
      refreshToken,
      issuedAt: now,
      lastUsedAt: now,
      revoked: false,
    };
    this.sessions.set(session.token, session);
    if (refreshToken) this.refreshTokens.get(refreshToken)?.sessions.add(session.token);
    return session;
  }

  issueRefreshToken(user: SalesforceUser, scopes: readonly string[]): RefreshGrant {
    const grant: RefreshGrant = {
      token: `5Aep861${opaque(64).replace(/-/g, '.')}`,
      user,
      scopes,
      sessions: new Set(),
      revoked: false,
    };
    this.refreshTokens.set(grant.token, grant);
    return grant;
  }

  /** The live session of `token`, touching its idle timer; undefined when unknown, revoked or idle too long. */
  session(token: string, timeoutSec: number): Session | undefined {
    const session = this.sessions.get(token);
    const now = Date.now();
    if (!session || session.revoked || now - session.lastUsedAt > timeoutSec * 1000)
      return undefined;
    session.lastUsedAt = now;
    return session;
  }

  /**
   * Revokes an access token, or a refresh token and every access token issued from it. Answers
   * whether the token was a live one.
   */
  revoke(token: string): boolean {
    const session = this.sessions.get(token);
    if (session && !session.revoked) {
      session.revoked = true;
      return true;
    }
    const grant = this.refreshTokens.get(token);
    if (!grant || grant.revoked) return false;
    grant.revoked = true;
    for (const issued of grant.sessions) {
      const child = this.sessions.get(issued);
      if (child) child.revoked = true;
    }
    return true;
  }

  /** A new query locator for the rows after the first batch. */
  newCursor(cursor: QueryCursor): string {
    const locator = `01g${randomBytes(9).toString('base64url').replace(/[-_]/g, '0')}`.slice(0, 15);
    for (const [key, stale] of this.cursors)
      if (Date.now() - stale.lastUsedAt > CURSOR_IDLE_MS) this.cursors.delete(key);
    this.cursors.set(locator, cursor);
    return locator;
  }
}
