import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { SignJWT, importPKCS8 } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDriver } from '../db/sql-driver';
import { buildTokenStoreApp, openDatabase } from '../start-token-store';
import { newOid, startTestIdp, TENANT_A, TENANT_B, type TestIdp, type TestUser } from './test-idp';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('JWT attack suite: forged and malformed tokens are never accepted', () => {
  let idp: TestIdp;
  let app: FastifyInstance;
  let db: SqlDriver;
  let dir: string;
  const user: TestUser = { tid: TENANT_A, oid: newOid() };

  /** Whether the store accepted the token (anything but 401 means the token got through). */
  const accepted = async (token: string) => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/me/integrations',
      headers: { authorization: `Bearer ${token}` },
    });
    return response.statusCode !== 401;
  };

  beforeAll(async () => {
    idp = await startTestIdp();
    dir = mkdtempSync(join(tmpdir(), 'ws-ts-attack-'));
    db = await openDatabase({ sqlitePath: join(dir, 'store.sqlite') });
    // The cache is off so every token is verified from scratch, and the failed-authentication limit
    // is lifted: this suite judges the verifier, a thousand failures from one address are the point.
    app = await buildTokenStoreApp(
      {
        tls: { cert: idp.tls.serverCert, key: idp.tls.serverKey },
        auth: idp.authConfig({ allowedTenants: [TENANT_A, TENANT_B], cacheSize: 0 }),
        logger: false,
        limits: { authFailuresPerMinute: Number.MAX_SAFE_INTEGER },
      },
      db,
    );
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await idp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts the genuine token (the control that makes the rest meaningful)', async () => {
    expect(await accepted(await idp.mint(user))).toBe(true);
  });

  it('rejects every class of forgery named by the spec', async () => {
    const now = Math.floor(Date.now() / 1000);
    const valid = await idp.mint(user);
    const [, payloadPart] = valid.split('.');
    const payload = JSON.parse(Buffer.from(payloadPart ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const otherKey = await importPKCS8(
      other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      'RS256',
    );
    const publicPem = JSON.stringify(idp.publicJwk);
    const hs256 = (secret: string) => {
      const head = b64({ alg: 'HS256', typ: 'JWT', kid: idp.kid });
      const body = b64(payload);
      return `${head}.${body}.${createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`;
    };

    const forgeries: Record<string, string> = {
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`,
      'alg none with kid': `${b64({ alg: 'none', kid: idp.kid })}.${b64(payload)}.`,
      'HS256 with the public JWK as secret': hs256(publicPem),
      'HS256 with the modulus as secret': hs256(String(idp.publicJwk.n)),
      'signed by an unknown key, unknown kid': await new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid: 'unknown-kid' })
        .sign(otherKey),
      'signed by another key, our kid': await new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid: idp.kid })
        .sign(otherKey),
      'wrong audience': await idp.mint(user, { aud: 'api://someone-else' }),
      'missing audience': await idp.mint(user, { aud: undefined }),
      'audience list without us': await idp.mint(user, { aud: ['https://graph.microsoft.com'] }),
      'wrong issuer': await idp.mint(user, { iss: 'https://login.microsoftonline.com/evil/v2.0' }),
      'missing issuer': await idp.mint(user, { iss: undefined }),
      "another tenant's issuer": await idp.mint(user, { iss: idp.issuer(TENANT_B) }),
      'v1 issuer form': await idp.mint(user, { iss: `https://sts.windows.net/${TENANT_A}/` }),
      expired: await idp.mint(user, { exp: now - 600, iat: now - 4000, nbf: now - 4000 }),
      'not yet valid': await idp.mint(user, { nbf: now + 600 }),
      'issued in the future': await idp.mint(user, { iat: now + 600, nbf: now }),
      'app-only token': await idp.mint(user, {
        scp: undefined,
        idtyp: 'app',
        roles: ['Blobs.ReadWrite.All'],
      }),
      'app-only token with a scope': await idp.mint(user, { idtyp: 'app' }),
      'token for another resource': await idp.mint(user, {
        aud: '00000003-0000-0000-c000-000000000000',
        scp: 'Calendars.Read',
      }),
      'scope of another API': await idp.mint(user, { scp: 'user_impersonation' }),
      'obtained by another client app': await idp.mint(user, {
        azp: '9d3e6c1a-2b47-4f58-8a90-1c2d3e4f5a6b',
      }),
      'v1 token of another client app': await idp.mint(user, {
        ver: '1.0',
        azp: undefined,
        appid: '9d3e6c1a-2b47-4f58-8a90-1c2d3e4f5a6b',
      }),
      'missing azp': await idp.mint(user, { azp: undefined }),
      'missing exp': await idp.mint(user, { exp: undefined }),
      'missing iat': await idp.mint(user, { iat: undefined }),
      'missing nbf': await idp.mint(user, { nbf: undefined }),
      'missing tid': await idp.mint(user, { tid: undefined }),
      'missing oid': await idp.mint(user, { oid: undefined }),
      'missing scp': await idp.mint(user, { scp: undefined }),
      'tenant not allowed': await idp.mint({
        tid: '33333333-3333-4333-8333-333333333333',
        oid: user.oid,
      }),
      'tid not a GUID': await idp.mint(user, { tid: 'contoso.onmicrosoft.com' }),
      'oid not a GUID': await idp.mint(user, { oid: 'admin' }),
      'tid differs from issuer tenant': await idp.mint(user, { tid: TENANT_B }),
      'RS256 header but PS256 signature': await new SignJWT(payload)
        .setProtectedHeader({ alg: 'PS256', kid: idp.kid })
        .sign(idp.privateKey)
        .catch(() => 'x.y.z'),
      // The attacker signs with their own key and points at it from the header: the store must use its JWKS only.
      'own key embedded as jwk': await new SignJWT(payload)
        .setProtectedHeader({
          alg: 'RS256',
          kid: idp.kid,
          jwk: other.publicKey.export({ format: 'jwk' }) as never,
        })
        .sign(otherKey),
      'own key behind jku': await new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid: idp.kid, jku: 'https://attacker.example/keys' })
        .sign(otherKey),
      'signature stripped': valid.split('.').slice(0, 2).join('.') + '.',
      'two segments': valid.split('.').slice(0, 2).join('.'),
      empty: '',
      'not base64': '%%%.%%%.%%%',
      oversized: `${valid}${'A'.repeat(20_000)}`,
    };
    const results = await Promise.all(
      Object.entries(forgeries).map(
        async ([name, token]) => [name, await accepted(token)] as const,
      ),
    );
    expect(results.filter(([, ok]) => ok).map(([name]) => name)).toEqual([]);
  });

  it('rejects 1,000 random mutations of a genuine token', async () => {
    const valid = await idp.mint(user);
    const segments = valid.split('.');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let tried = 0;
    let acceptedCount = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 }),
        fc.nat(),
        fc.constantFrom(...alphabet.split('')),
        fc.constantFrom('replace', 'insert', 'delete', 'swap-segments', 'truncate'),
        async (segmentIndex, position, char, kind) => {
          const mutated = [...segments];
          const segment = mutated[segmentIndex] ?? '';
          const at = position % Math.max(segment.length, 1);
          if (kind === 'replace')
            mutated[segmentIndex] = segment.slice(0, at) + char + segment.slice(at + 1);
          else if (kind === 'insert')
            mutated[segmentIndex] = segment.slice(0, at) + char + segment.slice(at);
          else if (kind === 'delete')
            mutated[segmentIndex] = segment.slice(0, at) + segment.slice(at + 1);
          else if (kind === 'swap-segments')
            [mutated[0], mutated[1]] = [mutated[1] ?? '', mutated[0] ?? ''];
          else mutated[segmentIndex] = segment.slice(0, at);
          // base64url's last character carries unused bits: a change there can decode to the very
          // same bytes, which is the same token, not a forgery. Only count real changes.
          const decodedSame = mutated.every((part, index) =>
            Buffer.from(part, 'base64url').equals(Buffer.from(segments[index] ?? '', 'base64url')),
          );
          if (decodedSame) return;
          tried += 1;
          if (await accepted(mutated.join('.'))) acceptedCount += 1;
        },
      ),
      { numRuns: 1100, seed: 20261123 },
    );
    expect(tried).toBeGreaterThanOrEqual(1000);
    expect(acceptedCount).toBe(0);
  });
});
