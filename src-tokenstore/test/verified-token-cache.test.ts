import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JwtVerifier, TokenRejected, type Principal } from '../auth/jwt-verifier';
import { newOid, startTestIdp, TENANT_A, type TestIdp, type TestUser } from './test-idp';

/** `clockToleranceSec` of the test IdP's auth config. */
const TOLERANCE = 30;
/** The store's maximum token age from `iat` (jose's `maxTokenAge`), whatever the token's `exp`. */
const MAX_AGE = 24 * 3600;
const HOUR = 3600;

type Outcome = { admitted: string } | { rejected: string };

/**
 * Verified tokens are cached by hash so the signature is checked once; a cache hit must still apply
 * every rule a fresh verification applies at that moment. The time rules are jose's (`nbf`, `exp`,
 * `maxTokenAge` from `iat`, all with the clock tolerance, judged in whole seconds; RFC 7519
 * sections 4.1.4-4.1.6, https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4).
 */
describe('the verified-token cache admits exactly what a fresh verification admits', () => {
  let idp: TestIdp;
  const user: TestUser = { tid: TENANT_A, oid: newOid() };

  beforeAll(async () => {
    idp = await startTestIdp();
  });
  afterAll(async () => {
    await idp?.stop();
  });

  /** A verifier on a clock the test moves; `cacheSize: 0` verifies from scratch every time. */
  const verifierOn = (clock: { ms: number }, cacheSize?: number) =>
    new JwtVerifier(idp.authConfig(cacheSize === undefined ? {} : { cacheSize }), {
      now: () => clock.ms,
    });
  const outcome = (verifying: Promise<Principal>): Promise<Outcome> =>
    verifying.then(
      (principal) => ({ admitted: principal.oid }),
      (error: unknown) => ({
        rejected: error instanceof TokenRejected ? error.reason : String(error),
      }),
    );

  it('rejects a cached token once iat + 24 h has passed, before its exp, exactly like a fresh verification', async () => {
    const issued = Math.floor(Date.now() / 1000);
    // An exp beyond 24 h is the issuer's word; the store's own cap on a token's age must hold for cached tokens too.
    const token = await idp.mint(user, { iat: issued, nbf: issued, exp: issued + 48 * HOUR });
    const clock = { ms: issued * 1000 };
    const cached = verifierOn(clock);
    expect(await outcome(cached.verify(token))).toEqual({ admitted: user.oid });

    clock.ms = (issued + 25 * HOUR) * 1000;
    const fresh = await outcome(verifierOn(clock, 0).verify(token));
    expect(fresh).toEqual({ rejected: 'ERR_JWT_EXPIRED' });
    expect(await outcome(cached.verify(token))).toEqual(fresh);
  });

  it('agrees with a fresh verification at every clock point around each time boundary', async () => {
    const issued = Math.floor(Date.now() / 1000);
    const tokens = [
      {
        name: 'long exp, capped by iat + 24 h',
        claims: { iat: issued, nbf: issued, exp: issued + 48 * HOUR },
      },
      { name: 'one hour', claims: { iat: issued, nbf: issued, exp: issued + HOUR } },
      { name: 'nbf after iat', claims: { iat: issued, nbf: issued + 600, exp: issued + HOUR } },
    ];
    for (const { name, claims } of tokens) {
      const token = await idp.mint(user, claims);
      // The seconds at which some rule flips, then every point one second and one millisecond around them.
      const boundaries = [
        claims.nbf - TOLERANCE,
        claims.iat - TOLERANCE,
        claims.exp + TOLERANCE,
        claims.iat + MAX_AGE + TOLERANCE,
        claims.iat + MAX_AGE + TOLERANCE + 1,
      ];
      const points = boundaries.flatMap((second) =>
        [second - 1, second, second + 1].flatMap((s) => [s * 1000 - 1, s * 1000, s * 1000 + 999]),
      );
      const seen = new Set<string>();
      for (const point of points) {
        // Cached while valid (at nbf), then asked again at the point.
        const clock = { ms: claims.nbf * 1000 };
        const cached = verifierOn(clock);
        expect(await outcome(cached.verify(token))).toEqual({ admitted: user.oid });
        clock.ms = point;
        const fresh = await outcome(verifierOn(clock, 0).verify(token));
        expect({ name, point, outcome: await outcome(cached.verify(token)) }).toEqual({
          name,
          point,
          outcome: fresh,
        });
        seen.add('admitted' in fresh ? 'admitted' : 'rejected');
      }
      // Both sides of the boundaries were reached, so the comparison above means something.
      expect([...seen].sort()).toEqual(['admitted', 'rejected']);
    }
  });

  it('follows the clock both ways with one cached verifier: out of the window and back in', async () => {
    const issued = Math.floor(Date.now() / 1000);
    const claims = { iat: issued, nbf: issued, exp: issued + 48 * HOUR };
    const token = await idp.mint(user, claims);
    const clock = { ms: issued * 1000 };
    const cached = verifierOn(clock);
    const walk = [
      issued,
      issued + MAX_AGE + TOLERANCE + 1,
      issued + HOUR,
      issued - TOLERANCE - 1,
      issued,
      issued + 47 * HOUR,
    ];
    for (const second of walk) {
      clock.ms = second * 1000;
      const fresh = await outcome(verifierOn(clock, 0).verify(token));
      expect({ second, outcome: await outcome(cached.verify(token)) }).toEqual({
        second,
        outcome: fresh,
      });
    }
  });
});
