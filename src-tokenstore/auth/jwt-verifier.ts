import { createHash } from 'node:crypto';
import {
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  errors,
  jwtVerify,
  type JWTPayload,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { createHttpsFetch } from './https-fetch';

/** How the store recognises a valid user token. */
export interface TokenStoreAuthConfig {
  /** The store's app id: the only accepted `aud`. */
  readonly audience: string;
  /** The exact issuer per tenant, with `{tenantid}` replaced by the token's `tid`. */
  readonly issuerTemplate: string;
  /** Tenants whose users may call the store; absent = any tenant (multi-tenant store). */
  readonly allowedTenants?: readonly string[];
  readonly jwksUri: string;
  /**
   * Application ids of the client apps whose tokens the store accepts (the Workstation desktop app):
   * any other app in the tenant granted the store's scope obtains valid tokens for our audience too.
   */
  readonly allowedClients: readonly string[];
  /** Delegated scope every user token must carry in `scp`. */
  readonly requiredScope: string;
  /** App role (in `roles`) that grants the admin routes. */
  readonly adminRole: string;
  readonly clockToleranceSec?: number;
  /** PEM of an extra CA to trust when fetching the JWKS (the local CA in development and tests). */
  readonly jwksCa?: string;
  /** Verified tokens kept by hash until their `exp`; 0 disables the cache (the bench measures both). */
  readonly cacheSize?: number;
}

/** The caller, as proven by a verified token. */
export interface Principal {
  readonly tid: string;
  readonly oid: string;
  readonly groups: readonly string[];
  readonly isAdmin: boolean;
}

/** Why a token was refused; logged by kind, never with the token. */
export class TokenRejected extends Error {
  constructor(readonly reason: string) {
    super(`token rejected: ${reason}`);
    this.name = 'TokenRejected';
  }
}

/** Tokens issued longer ago than this are refused whatever their `exp` (jose's `maxTokenAge`). */
const MAX_TOKEN_AGE_SEC = 24 * 3600;

/** A verified token as cached: its principal and the time claims (seconds) its admission depends on. */
interface VerifiedToken {
  readonly principal: Principal;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The client app that obtained the token: `azp` in v2.0 tokens, `appid` in v1.0 tokens, told apart
 * by `ver` (https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference).
 * Only the claim of the token's own version counts; anything else names no client.
 */
function clientOf(payload: JWTPayload): string | undefined {
  const claim =
    payload.ver === '2.0' ? payload.azp : payload.ver === '1.0' ? payload.appid : undefined;
  return typeof claim === 'string' ? claim : undefined;
}

/**
 * Verifies store tokens: RS256 only, keys from the IdP's JWKS (cached, refetched on an unknown
 * `kid` after a cooldown), the exact issuer of the token's tenant, our audience, required claims,
 * a user (not app-only) token with our scope, obtained by one of our client apps. JWT verification
 * dominates a request's cost, so verified tokens are cached by their SHA-256; a cache hit is
 * admitted only while a fresh verification would admit the same token.
 */
export class JwtVerifier {
  readonly #jwks: ReturnType<typeof createRemoteJWKSet>;
  readonly #cache: LRUCache<string, VerifiedToken> | undefined;
  readonly #allowedClients: ReadonlySet<string>;
  readonly #now: () => number;
  readonly #toleranceSec: number;

  /** `now` (ms since the epoch) is the clock every time rule is judged by; tests move it. */
  constructor(
    private readonly config: TokenStoreAuthConfig,
    options: { readonly now?: () => number } = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#toleranceSec = config.clockToleranceSec ?? 60;
    if (config.allowedClients.length === 0)
      throw new Error('the token store needs at least one allowed client app id');
    this.#allowedClients = new Set(config.allowedClients.map((client) => client.toLowerCase()));
    this.#jwks = createRemoteJWKSet(new URL(config.jwksUri), {
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 5_000,
      [customFetch]: createHttpsFetch(config.jwksCa),
    });
    const size = config.cacheSize ?? 10_000;
    this.#cache =
      size > 0
        ? new LRUCache<string, VerifiedToken>({ max: size, ttlAutopurge: false })
        : undefined;
  }

  /** Answers the principal or throws TokenRejected. */
  async verify(token: string): Promise<Principal> {
    if (token.length > 16_384) throw new TokenRejected('oversized');
    const now = this.#now();
    const key = this.#cache ? createHash('sha256').update(token).digest('base64url') : '';
    const cached = this.#cache?.get(key);
    if (cached) {
      // The same bytes pass the signature, issuer, audience, tenant, scope and client rules as they
      // did; only the time rules depend on when they are asked.
      if (this.#timely(cached, now)) return cached.principal;
      // Out of its window: verify afresh, so the refusal (or, after the clock stepped back, the
      // admission) is exactly a fresh verification's, reason included.
      this.#cache?.delete(key);
    }

    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new TokenRejected('malformed');
    }
    const tid = typeof unverified.tid === 'string' ? unverified.tid : '';
    if (!GUID.test(tid)) throw new TokenRejected('tenant');
    if (
      this.config.allowedTenants &&
      !this.config.allowedTenants.some((allowed) => allowed.toLowerCase() === tid.toLowerCase())
    ) {
      throw new TokenRejected('tenant not allowed');
    }

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.#jwks, {
        algorithms: ['RS256'],
        issuer: this.config.issuerTemplate.replace('{tenantid}', tid),
        audience: this.config.audience,
        requiredClaims: ['exp', 'iat', 'nbf', 'tid', 'oid', 'scp'],
        clockTolerance: this.#toleranceSec,
        maxTokenAge: MAX_TOKEN_AGE_SEC,
        currentDate: new Date(now),
      }));
    } catch (error) {
      throw new TokenRejected(error instanceof errors.JOSEError ? error.code : 'invalid');
    }

    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    if (payload.idtyp === 'app' || !scopes.includes(this.config.requiredScope))
      throw new TokenRejected('not a user token for this API');
    if (typeof payload.oid !== 'string' || !GUID.test(payload.oid) || payload.tid !== tid)
      throw new TokenRejected('identity');
    const client = clientOf(payload);
    if (!client) throw new TokenRejected('client');
    if (!this.#allowedClients.has(client.toLowerCase()))
      throw new TokenRejected('client not allowed');
    const roles = Array.isArray(payload.roles)
      ? payload.roles.filter((role): role is string => typeof role === 'string')
      : [];
    const groups = Array.isArray(payload.groups)
      ? payload.groups.filter((group): group is string => typeof group === 'string').slice(0, 500)
      : [];
    const principal: Principal = {
      tid: tid.toLowerCase(),
      oid: payload.oid.toLowerCase(),
      groups,
      isAdmin: roles.includes(this.config.adminRole),
    };
    // jose required and checked these as numbers; the test narrows the types.
    const { iat, nbf, exp } = payload;
    if (
      this.#cache &&
      typeof iat === 'number' &&
      typeof nbf === 'number' &&
      typeof exp === 'number'
    ) {
      const verified: VerifiedToken = { principal, iat, nbf, exp };
      const ttl = this.#validUntilMs(verified) - now;
      if (ttl > 0) this.#cache.set(key, verified, { ttl });
    }
    return principal;
  }

  /**
   * jose's time rules (nbf, exp, and maxTokenAge both ways, with the clock tolerance), judged like
   * jose judges them: in whole seconds of the same clock.
   */
  #timely(token: VerifiedToken, nowMs: number): boolean {
    const now = Math.floor(nowMs / 1000);
    const age = now - token.iat;
    const tolerance = this.#toleranceSec;
    return (
      token.nbf <= now + tolerance &&
      token.exp > now - tolerance &&
      age - tolerance <= MAX_TOKEN_AGE_SEC &&
      age >= -tolerance
    );
  }

  /**
   * When a fresh verification starts refusing the token as time goes on: the first whole second
   * past `exp` or past `iat` + the maximum age (each with the tolerance). The cache entry's TTL ends
   * there; `#timely` still judges every hit on the injected clock, which may move differently.
   */
  #validUntilMs(token: VerifiedToken): number {
    const tolerance = this.#toleranceSec;
    return (
      Math.min(
        Math.ceil(token.exp + tolerance),
        Math.floor(token.iat + tolerance + MAX_TOKEN_AGE_SEC) + 1,
      ) * 1000
    );
  }
}
