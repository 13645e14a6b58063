import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSTATION_CLIENT_ID } from '../../src-shared/demo-tenant';
import { JwtVerifier, TokenRejected } from '../auth/jwt-verifier';
import { startTokenStore, type RunningTokenStore } from '../start-token-store';
import { httpsJson } from './https-client';
import { newOid, startTestIdp, TENANT_A, type TestIdp, type TestUser } from './test-idp';

/** Another app registration in the same tenant, granted the store's scope (say, a script or a rogue tool). */
const OTHER_APP = '9d3e6c1a-2b47-4f58-8a90-1c2d3e4f5a6b';

/**
 * Entra ID issues a token for the store's audience to any client app the tenant lets ask for its
 * scope. Which app obtained it is `azp` in v2.0 tokens and `appid` in v1.0 tokens (`ver` tells which):
 * https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference
 * The store admits only its allowed client apps (by default the Workstation desktop app).
 */
describe('only tokens obtained by an allowed client app are accepted', () => {
  let idp: TestIdp;
  let store: RunningTokenStore;
  const dir = mkdtempSync(join(tmpdir(), 'ws-ts-clients-'));
  const admin: TestUser = { tid: TENANT_A, oid: newOid(), admin: true };
  // A user route, a blob route and an admin route.
  const paths = ['/v1/me/integrations', '/v1/blobs/dynamics/device-0001', '/v1/admin/audit'];

  const answers = (token: string) =>
    Promise.all(
      paths.map((path) =>
        httpsJson(`${store.url}${path}`, {
          ca: idp.tls.caCert,
          headers: { authorization: `Bearer ${token}` },
        }),
      ),
    );
  const statuses = async (token: string) => (await answers(token)).map((answer) => answer.status);

  beforeAll(async () => {
    idp = await startTestIdp();
    // Every refusal here is a failed authentication from loopback; the per-address limit on those is
    // lifted so each answer is the verifier's (auth-failure-limit.test.ts covers the limit).
    store = await startTokenStore({
      tls: { cert: idp.tls.serverCert, key: idp.tls.serverKey },
      auth: idp.authConfig(),
      sqlitePath: join(dir, 'store.sqlite'),
      logger: false,
      limits: { authFailuresPerMinute: Number.MAX_SAFE_INTEGER },
    });
  });
  afterAll(async () => {
    await store?.stop();
    await idp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('admits the Workstation desktop app, by azp in a v2.0 token and by appid in a v1.0 token', async () => {
    // 403 on the blob route: the integration is not enabled, which is decided after authentication.
    expect(
      await statuses(await idp.mint(admin, { ver: '2.0', azp: WORKSTATION_CLIENT_ID })),
    ).toEqual([200, 403, 200]);
    expect(
      await statuses(
        await idp.mint(admin, { ver: '1.0', azp: undefined, appid: WORKSTATION_CLIENT_ID }),
      ),
    ).toEqual([200, 403, 200]);
  });

  it('refuses a v2.0 token another app obtained for the store, on user, blob and admin routes', async () => {
    const refused = await answers(await idp.mint(admin, { ver: '2.0', azp: OTHER_APP }));
    expect(refused.map((answer) => answer.status)).toEqual([401, 401, 401]);
    for (const answer of refused)
      expect(answer.body).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('refuses a v1.0 token another app obtained (its appid), on user, blob and admin routes', async () => {
    expect(
      await statuses(await idp.mint(admin, { ver: '1.0', azp: undefined, appid: OTHER_APP })),
    ).toEqual([401, 401, 401]);
  });

  it('refuses a token that names no client app in the claim of its version', async () => {
    const tokens = {
      'v2.0 without azp': await idp.mint(admin, { ver: '2.0', azp: undefined }),
      'v2.0 naming the app only in appid': await idp.mint(admin, {
        ver: '2.0',
        azp: undefined,
        appid: WORKSTATION_CLIENT_ID,
      }),
      'v1.0 naming the app only in azp': await idp.mint(admin, {
        ver: '1.0',
        azp: WORKSTATION_CLIENT_ID,
      }),
      'no ver': await idp.mint(admin, { ver: undefined }),
      'unknown ver': await idp.mint(admin, { ver: '3.0' }),
      'azp not a string': await idp.mint(admin, { azp: [WORKSTATION_CLIENT_ID] }),
    };
    const results = await Promise.all(
      Object.entries(tokens).map(async ([name, token]) => [name, await statuses(token)] as const),
    );
    expect(
      results
        .filter(([, answered]) => answered.some((status) => status !== 401))
        .map(([name]) => name),
    ).toEqual([]);
  });

  it('takes the allowed apps from its configuration and says why it refused', async () => {
    const verifier = new JwtVerifier(
      idp.authConfig({ allowedClients: [OTHER_APP.toUpperCase()], cacheSize: 0 }),
    );
    await expect(verifier.verify(await idp.mint(admin, { azp: OTHER_APP }))).resolves.toMatchObject(
      { oid: admin.oid, isAdmin: true },
    );
    await expect(verifier.verify(await idp.mint(admin))).rejects.toEqual(
      new TokenRejected('client not allowed'),
    );
    await expect(verifier.verify(await idp.mint(admin, { azp: undefined }))).rejects.toEqual(
      new TokenRejected('client'),
    );
  });
});
