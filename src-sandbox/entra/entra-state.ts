import { randomBytes } from 'node:crypto';
import type { SampleUser } from '../data/sample-users';

/** An /authorize request waiting for the user's answer on the consent page. */
export interface PendingAuthorization {
  readonly tenantId: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly state: string | undefined;
  readonly nonce: string | undefined;
  readonly codeChallenge: string;
  readonly codeChallengeMethod: 'S256' | 'plain';
  readonly responseMode: 'form_post' | 'query';
  readonly createdAt: number;
}

/** An issued authorization code (single use, 10 minutes). */
export interface IssuedCode extends PendingAuthorization {
  readonly user: SampleUser;
  used: boolean;
  readonly expiresAt: number;
  /** The user passed multi-factor authentication in this sign-in. */
  readonly mfa: boolean;
}

/** An issued refresh token; each use answers a new one, but only expiry (the fault knob) revokes it. */
export interface IssuedRefreshToken {
  readonly user: SampleUser;
  readonly clientId: string;
  readonly tenantId: string;
  readonly oidc: ReadonlySet<string>;
  /** The session behind it passed MFA (refresh tokens redeemed from it inherit that). */
  readonly mfa: boolean;
  revoked: boolean;
}

export const newOpaque = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** Everything the Entra stand-in remembers between requests (in memory). */
export class EntraState {
  readonly pending = new Map<string, PendingAuthorization>();
  readonly codes = new Map<string, IssuedCode>();
  readonly refreshTokens = new Map<string, IssuedRefreshToken>();
  /** `<tenant>|<user oid>|<client>|<audience>` for each user consent given on the consent page. */
  readonly userConsents = new Set<string>();
  /** `<tenant>|<client>` once an admin consented for the whole tenant. */
  readonly adminConsents = new Set<string>();
  /** Web redirect URIs registered per client id (the admin console's, on the token store's origin). */
  readonly redirectUris = new Map<string, Set<string>>();
  /** The `claims` parameter of recent /authorize requests, oldest first, so tests can see what a client sent. */
  readonly authorizeClaims: string[] = [];

  recordAuthorizeClaims(claims: string): void {
    this.authorizeClaims.push(claims);
    if (this.authorizeClaims.length > 50) this.authorizeClaims.shift();
  }

  addRedirectUri(clientId: string, uri: string): void {
    const uris = this.redirectUris.get(clientId) ?? new Set<string>();
    uris.add(uri);
    this.redirectUris.set(clientId, uris);
  }

  hasConsent(tenantId: string, oid: string, clientId: string, audience: string): boolean {
    return (
      this.adminConsents.has(`${tenantId}|${clientId}`) ||
      this.userConsents.has(`${tenantId}|${oid}|${clientId}|${audience}`)
    );
  }
}
