import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import {
  TOKENSTORE_ADMIN_ROLE,
  TOKENSTORE_APP_ID,
  TOKENSTORE_SCOPE_NAME,
  WORKSTATION_CLIENT_ID,
} from '../../src-shared/demo-tenant';
import { ensureLocalTls, type LocalTls } from '../../src-dev-tls/local-ca';
import type { TokenStoreAuthConfig } from '../auth/jwt-verifier';

/** A tenant-scoped user for minting tokens. */
export interface TestUser {
  readonly tid: string;
  readonly oid: string;
  readonly groups?: readonly string[];
  readonly admin?: boolean;
}

/** A small identity provider for the store's tests: RS256 keys, a JWKS over HTTPS, a minting function. */
export interface TestIdp {
  readonly tls: LocalTls;
  readonly origin: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: Record<string, unknown>;
  readonly kid: string;
  /** Counts JWKS downloads, to prove the key set is cached. */
  jwksFetches(): number;
  authConfig(overrides?: Partial<TokenStoreAuthConfig>): TokenStoreAuthConfig;
  issuer(tid: string): string;
  /** A valid store token for `user`; `claims` overrides or removes (undefined) claims. */
  mint(
    user: TestUser,
    claims?: Record<string, unknown>,
    header?: Record<string, unknown>,
  ): Promise<string>;
  stop(): Promise<void>;
}

export const TENANT_A = '11111111-1111-4111-8111-111111111111';
export const TENANT_B = '22222222-2222-4222-8222-222222222222';
export const newOid = () => randomUUID();

/** Starts the IdP on a free port with the local CA (generated under a temp dir unless given). */
export async function startTestIdp(
  tls: LocalTls = ensureLocalTls(join(mkdtempSync(join(tmpdir(), 'ws-ts-idp-')), 'tls')),
): Promise<TestIdp> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
  let fetches = 0;
  const server: Server = createServer({ cert: tls.serverCert, key: tls.serverKey }, (req, res) => {
    if (req.url === '/common/discovery/v2.0/keys') {
      fetches += 1;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [publicJwk] }));
      return;
    }
    res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  const issuer = (tid: string) => `${origin}/${tid}/v2.0`;

  return {
    tls,
    origin,
    privateKey,
    publicJwk,
    kid,
    jwksFetches: () => fetches,
    issuer,
    authConfig: (overrides = {}) => ({
      audience: TOKENSTORE_APP_ID,
      issuerTemplate: `${origin}/{tenantid}/v2.0`,
      jwksUri: `${origin}/common/discovery/v2.0/keys`,
      allowedClients: [WORKSTATION_CLIENT_ID],
      requiredScope: TOKENSTORE_SCOPE_NAME,
      adminRole: TOKENSTORE_ADMIN_ROLE,
      jwksCa: tls.caCert,
      clockToleranceSec: 30,
      ...overrides,
    }),
    async mint(user, claims = {}, header = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = {
        ver: '2.0',
        iss: issuer(user.tid),
        aud: TOKENSTORE_APP_ID,
        sub: `sub-${user.oid}`,
        tid: user.tid,
        oid: user.oid,
        scp: TOKENSTORE_SCOPE_NAME,
        azp: WORKSTATION_CLIENT_ID,
        iat: now,
        nbf: now,
        exp: now + 3600,
        ...(user.groups ? { groups: [...user.groups] } : {}),
        ...(user.admin ? { roles: [TOKENSTORE_ADMIN_ROLE] } : {}),
      };
      for (const [name, value] of Object.entries(claims)) {
        if (value === undefined) delete payload[name];
        else payload[name] = value;
      }
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT', ...header })
        .sign(privateKey);
    },
    stop: async () => {
      server.close();
      await once(server, 'close');
    },
  };
}
