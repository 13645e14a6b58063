import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDriver } from '../db/sql-driver';
import { TokenStoreRepository } from '../db/token-store-repository';
import {
  startTokenStore,
  type RunningTokenStore,
  type TokenStoreOptions,
} from '../start-token-store';
import { httpsJson, type TestResponse } from './https-client';
import { newOid, startTestIdp, TENANT_A, TENANT_B, type TestIdp, type TestUser } from './test-idp';

/** How a backend is opened for one suite run. */
export interface BackendUnderTest {
  readonly name: string;
  readonly options: () => Promise<
    Pick<TokenStoreOptions, 'databaseUrl' | 'databaseSchema' | 'sqlitePath'>
  >;
  readonly cleanup?: () => Promise<void>;
}

const GROUP_SALES = 'aaaaaaaa-0000-4000-8000-000000000001';
const blobOf = (label: string) => Buffer.from(`ciphertext:${label}`).toString('base64url');

/**
 * The store's whole API, run once per backend: both must behave identically.
 */
export function runStoreApiSuite(backend: BackendUnderTest): void {
  describe(`token store API on ${backend.name}`, () => {
    let idp: TestIdp;
    let store: RunningTokenStore;
    const ann: TestUser = { tid: TENANT_A, oid: newOid(), groups: [GROUP_SALES] };
    const bob: TestUser = { tid: TENANT_A, oid: newOid() };
    const adminA: TestUser = { tid: TENANT_A, oid: newOid(), admin: true };
    const annInB: TestUser = { tid: TENANT_B, oid: ann.oid };
    const adminB: TestUser = { tid: TENANT_B, oid: newOid(), admin: true };
    const device = 'device-0001';

    const call = async (
      user: TestUser | undefined,
      method: string,
      path: string,
      init: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
    ): Promise<TestResponse> =>
      httpsJson(`${store.url}${path}`, {
        method,
        ca: idp.tls.caCert,
        body: init.body,
        rawBody: init.rawBody,
        headers: {
          ...(user ? { authorization: `Bearer ${await idp.mint(user)}` } : {}),
          ...init.headers,
        },
      });
    const db = (): SqlDriver => store.db;
    const countBlobs = async () =>
      Number((await db().all<{ n: number }>('SELECT COUNT(*) AS n FROM blobs'))[0]?.n ?? 0);
    const enable = (admin: TestUser, integration: string, body: unknown) =>
      call(admin, 'PUT', `/v1/admin/integrations/${integration}`, { body });
    const put = (
      user: TestUser,
      integration: string,
      blob: string,
      precondition: Record<string, string>,
    ) =>
      call(user, 'PUT', `/v1/blobs/${integration}/${device}`, {
        body: { blob },
        headers: precondition,
      });

    beforeAll(async () => {
      idp = await startTestIdp();
      store = await startTokenStore({
        tls: { cert: idp.tls.serverCert, key: idp.tls.serverKey },
        auth: idp.authConfig(),
        logger: false,
        // An origin outside every vendor's hosts that admins may still name, for any integration.
        extraOrigins: ['https://crm.sandbox.test:8443'],
        ...(await backend.options()),
      });
      expect(
        (
          await enable(adminA, 'dynamics', {
            enabled: true,
            audience: { kind: 'all' },
            settings: { orgUrl: 'https://contoso.crm4.dynamics.com/' },
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await enable(adminA, 'outlook', {
            enabled: true,
            audience: { kind: 'groups', groups: [GROUP_SALES] },
            settings: {},
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await enable(adminB, 'dynamics', {
            enabled: true,
            audience: { kind: 'all' },
            settings: {},
          })
        ).status,
      ).toBe(200);
    });
    afterAll(async () => {
      await store?.stop();
      await idp?.stop();
      await backend.cleanup?.();
    });

    it('answers /healthz without a token, with security headers', async () => {
      const health = await call(undefined, 'GET', '/healthz');
      expect(health.status).toBe(200);
      expect(health.headers['strict-transport-security']).toContain('max-age=');
      expect(health.headers['x-content-type-options']).toBe('nosniff');
      expect(health.headers['cache-control']).toBe('no-store');
      expect(health.headers['x-powered-by']).toBeUndefined();
    });

    it('refuses every other route without a valid token', async () => {
      for (const path of [
        '/v1/me/integrations',
        `/v1/blobs/dynamics/${device}`,
        '/v1/admin/audit',
      ]) {
        const anonymous = await call(undefined, 'GET', path);
        expect(anonymous.status).toBe(401);
        expect(anonymous.body).toMatchObject({ error: { code: 'unauthorized' } });
      }
      const garbage = await httpsJson(`${store.url}/v1/me/integrations`, {
        ca: idp.tls.caCert,
        headers: { authorization: 'Bearer not.a.jwt' },
      });
      expect(garbage.status).toBe(401);
    });

    it('lists the integrations enabled for the caller, with the org settings', async () => {
      expect((await call(ann, 'GET', '/v1/me/integrations')).body).toEqual({
        integrations: [
          {
            id: 'dynamics',
            enabled: true,
            settings: { orgUrl: 'https://contoso.crm4.dynamics.com' },
          },
          { id: 'outlook', enabled: true, settings: {} },
        ],
      });
      expect((await call(bob, 'GET', '/v1/me/integrations')).body).toEqual({
        integrations: [
          {
            id: 'dynamics',
            enabled: true,
            settings: { orgUrl: 'https://contoso.crm4.dynamics.com' },
          },
        ],
      });
    });

    it('stores, reads, swaps and deletes a blob with versions', async () => {
      expect((await call(ann, 'GET', `/v1/blobs/dynamics/${device}`)).status).toBe(404);
      expect((await put(ann, 'dynamics', blobOf('v0'), {})).status).toBe(428);
      const created = await put(ann, 'dynamics', blobOf('v1'), { 'if-none-match': '*' });
      expect(created.status).toBe(200);
      const v1 = (created.body as { version: string }).version;
      expect(created.headers.etag).toBe(`"${v1}"`);
      expect((await put(ann, 'dynamics', blobOf('again'), { 'if-none-match': '*' })).status).toBe(
        412,
      );

      const read = await call(ann, 'GET', `/v1/blobs/dynamics/${device}`);
      expect(read.body).toMatchObject({ blob: blobOf('v1'), version: v1 });
      const swapped = await put(ann, 'dynamics', blobOf('v2'), { 'if-match': `"${v1}"` });
      expect(swapped.status).toBe(200);
      const stale = await put(ann, 'dynamics', blobOf('v3'), { 'if-match': `"${v1}"` });
      expect(stale.status).toBe(412);
      expect(stale.body).toMatchObject({ error: { code: 'conflict' } });
      expect((await call(ann, 'GET', `/v1/blobs/dynamics/${device}`)).body).toMatchObject({
        blob: blobOf('v2'),
      });
      expect(await countBlobs()).toBe(1); // one row per key, overwritten: no history

      expect((await call(ann, 'DELETE', `/v1/blobs/dynamics/${device}`)).status).toBe(204);
      expect((await call(ann, 'GET', `/v1/blobs/dynamics/${device}`)).status).toBe(404);
      expect((await call(ann, 'DELETE', `/v1/blobs/dynamics/${device}`)).status).toBe(404);
    });

    it('never lets another user or another tenant see or touch a blob', async () => {
      const created = await put(ann, 'dynamics', blobOf('ann'), { 'if-none-match': '*' });
      const version = (created.body as { version: string }).version;
      const attempts = [
        await call(bob, 'GET', `/v1/blobs/dynamics/${device}`),
        await put(bob, 'dynamics', blobOf('bob'), { 'if-match': version }),
        await call(bob, 'DELETE', `/v1/blobs/dynamics/${device}`),
        await call(annInB, 'GET', `/v1/blobs/dynamics/${device}`),
        await put(annInB, 'dynamics', blobOf('other tenant'), { 'if-match': version }),
        await call(annInB, 'DELETE', `/v1/blobs/dynamics/${device}`),
      ];
      expect(attempts.map((attempt) => attempt.status)).toEqual([404, 412, 404, 404, 412, 404]);
      expect((await call(ann, 'GET', `/v1/blobs/dynamics/${device}`)).body).toMatchObject({
        blob: blobOf('ann'),
        version,
      });
      // Bob's own row under the same device id is his, not Ann's.
      expect((await put(bob, 'dynamics', blobOf('bob'), { 'if-none-match': '*' })).status).toBe(
        200,
      );
      expect((await call(ann, 'GET', `/v1/blobs/dynamics/${device}`)).body).toMatchObject({
        blob: blobOf('ann'),
      });
    });

    it('refuses oversized, malformed and non-JSON bodies and changes nothing', async () => {
      const before = await call(ann, 'GET', `/v1/blobs/dynamics/${device}`);
      const version = (before.body as { version: string }).version;
      const attempts = [
        await put(ann, 'dynamics', 'A'.repeat(300_000), { 'if-match': version }),
        await put(ann, 'dynamics', 'A'.repeat(200_001), { 'if-match': version }),
        await put(ann, 'dynamics', 'not base64url!', { 'if-match': version }),
        await call(ann, 'PUT', `/v1/blobs/dynamics/${device}`, {
          rawBody: '{"blob":',
          headers: { 'content-type': 'application/json', 'if-match': version },
        }),
        await call(ann, 'PUT', `/v1/blobs/dynamics/${device}`, {
          rawBody: 'blob=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'if-match': version },
        }),
        await call(ann, 'PUT', `/v1/blobs/dynamics/${device}`, {
          body: { blob: blobOf('x'), extra: 1 },
          headers: { 'if-match': version },
        }),
        await call(ann, 'GET', '/v1/blobs/Dynamics!/short'),
      ];
      expect(attempts.map((attempt) => attempt.status)).toEqual([
        413, 400, 400, 400, 415, 400, 400,
      ]);
      for (const attempt of attempts)
        expect(attempt.body).toMatchObject({
          error: { code: expect.any(String), requestId: expect.any(String) },
        });
      expect((await call(ann, 'GET', `/v1/blobs/dynamics/${device}`)).body).toEqual(before.body);
    });

    it('lets exactly one of many concurrent writers with the same If-Match win', async () => {
      const current = await call(ann, 'GET', `/v1/blobs/dynamics/${device}`);
      const version = (current.body as { version: string }).version;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          put(ann, 'dynamics', blobOf(`race-${index}`), { 'if-match': version }),
        ),
      );
      expect(results.filter((result) => result.status === 200)).toHaveLength(1);
      expect(results.filter((result) => result.status === 412)).toHaveLength(19);
      const winner = results.findIndex((result) => result.status === 200);
      expect((await call(ann, 'GET', `/v1/blobs/dynamics/${device}`)).body).toMatchObject({
        blob: blobOf(`race-${winner}`),
      });
    });

    it('keeps one blob per connection of an integration, and serves the two-segment routes as connection default', async () => {
      const dana: TestUser = { tid: TENANT_A, oid: newOid() };
      const at = (connection: string) => `/v1/blobs/dynamics/${connection}/${device}`;
      const create = (path: string, label: string) =>
        call(dana, 'PUT', path, {
          body: { blob: blobOf(label) },
          headers: { 'if-none-match': '*' },
        });
      expect((await create(at('contoso-crm4'), 'contoso')).status).toBe(200);
      expect((await create(at('fabrikam-crm'), 'fabrikam')).status).toBe(200);
      expect((await create(`/v1/blobs/dynamics/${device}`, 'legacy')).status).toBe(200);
      expect((await create(at('contoso-crm4'), 'again')).status).toBe(412);

      expect((await call(dana, 'GET', at('contoso-crm4'))).body).toMatchObject({
        blob: blobOf('contoso'),
      });
      expect((await call(dana, 'GET', at('fabrikam-crm'))).body).toMatchObject({
        blob: blobOf('fabrikam'),
      });
      expect((await call(dana, 'GET', at('default'))).body).toMatchObject({
        blob: blobOf('legacy'),
      });
      expect((await call(dana, 'GET', at('other-org'))).status).toBe(404);
      // Another user's connection of the same name is not dana's.
      expect((await call(bob, 'GET', at('contoso-crm4'))).status).toBe(404);
      const rows = await db().all<{ connection_id: string }>(
        'SELECT connection_id FROM blobs WHERE oid = ? ORDER BY connection_id',
        [dana.oid],
      );
      expect(rows.map((row) => row.connection_id)).toEqual([
        'contoso-crm4',
        'default',
        'fabrikam-crm',
      ]);

      for (const connection of ['Contoso', '-contoso', 'con.toso', 'x'.repeat(64)]) {
        const refused = await call(dana, 'GET', at(connection));
        expect(refused.status, connection).toBe(400);
        expect(refused.body).toMatchObject({ error: { code: 'invalid_input' } });
      }

      expect((await call(dana, 'DELETE', at('contoso-crm4'))).status).toBe(204);
      expect((await call(dana, 'GET', at('contoso-crm4'))).status).toBe(404);
      expect((await call(dana, 'GET', at('fabrikam-crm'))).status).toBe(200);
      expect((await call(dana, 'DELETE', `/v1/blobs/dynamics/${device}`)).status).toBe(204);
      expect((await call(dana, 'DELETE', at('default'))).status).toBe(404);
      expect((await call(dana, 'DELETE', at('fabrikam-crm'))).status).toBe(204);
    });

    it('keeps admin routes to admins and validates Dynamics orgs with the catalog', async () => {
      expect((await call(ann, 'GET', '/v1/admin/integrations')).status).toBe(403);
      expect(
        (await enable(ann, 'dynamics', { enabled: false, audience: { kind: 'all' }, settings: {} }))
          .status,
      ).toBe(403);
      for (const orgUrl of [
        'https://evil.example.com',
        'http://contoso.crm.dynamics.com',
        'https://contoso.crm.dynamics.com.evil.com',
        'https://contoso.crm.dynamics.com/path',
        'https://crm.sandbox.test:9443',
      ]) {
        const refused = await enable(adminA, 'dynamics', {
          enabled: true,
          audience: { kind: 'all' },
          settings: { orgUrl },
        });
        expect(refused.status, orgUrl).toBe(400);
        expect(refused.body, orgUrl).toMatchObject({
          error: {
            code: 'invalid_input',
            issues: [
              { path: 'settings.orgUrl', message: expect.stringContaining('is not accepted') },
            ],
          },
        });
      }
      const badOrg = await enable(adminA, 'dynamics', {
        enabled: true,
        audience: { kind: 'all' },
        settings: {
          orgs: [
            { url: 'https://contoso.crm4.dynamics.com', label: 'Contoso' },
            { url: 'https://contoso.dynamics.com.evil.com' },
          ],
        },
      });
      expect(badOrg.body).toMatchObject({
        error: {
          code: 'invalid_input',
          issues: [
            {
              path: 'settings.orgs.1.url',
              message: expect.stringContaining('not a Dynamics 365 org'),
            },
          ],
        },
      });
      const dynamicsSettings = async () =>
        (
          (await call(adminA, 'GET', '/v1/admin/integrations')).body as {
            integrations: { id: string; settings: unknown }[];
          }
        ).integrations.find((i) => i.id === 'dynamics')?.settings;
      expect(await dynamicsSettings()).toEqual({ orgUrl: 'https://contoso.crm4.dynamics.com' });

      // Two pinned orgs with labels: stored as the catalog parsed them, each URL reduced to its origin.
      const pinned = {
        orgs: [
          { url: 'https://Contoso.crm4.dynamics.com/', label: 'Contoso EU' },
          { url: 'https://fabrikam.crm.dynamics.com', label: 'Fabrikam' },
        ],
      };
      const normalised = {
        orgs: [
          { url: 'https://contoso.crm4.dynamics.com', label: 'Contoso EU' },
          { url: 'https://fabrikam.crm.dynamics.com', label: 'Fabrikam' },
        ],
      };
      const saved = await enable(adminA, 'dynamics', {
        enabled: true,
        audience: { kind: 'all' },
        settings: pinned,
      });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ settings: normalised });
      expect(await dynamicsSettings()).toEqual(normalised);
      expect((await call(bob, 'GET', '/v1/me/integrations')).body).toEqual({
        integrations: [{ id: 'dynamics', enabled: true, settings: normalised }],
      });
      // The store's extra origins (the demo's sandbox) are accepted as they are configured.
      const extra = await enable(adminA, 'dynamics', {
        enabled: true,
        audience: { kind: 'all' },
        settings: { orgUrl: 'https://crm.sandbox.test:8443/' },
      });
      expect(extra.body).toMatchObject({ settings: { orgUrl: 'https://crm.sandbox.test:8443' } });
      expect(
        (
          await enable(adminA, 'dynamics', {
            enabled: true,
            audience: { kind: 'all' },
            settings: { orgUrl: 'https://contoso.crm4.dynamics.com' },
          })
        ).status,
      ).toBe(200);
    });

    it("validates each integration's settings with its catalog entry and refuses integrations Workstation does not offer", async () => {
      const salesforce = (environments: unknown) =>
        enable(adminA, 'salesforce', {
          enabled: false,
          audience: { kind: 'all' },
          settings: { environments },
        });
      const environments = [
        { loginUrl: 'https://login.salesforce.com', label: 'Production' },
        { loginUrl: 'https://test.salesforce.com', label: 'Sandbox' },
        { loginUrl: 'https://acme.my.salesforce.com', label: 'Acme' },
        { loginUrl: 'https://acme--uat.sandbox.my.salesforce.com', label: 'Acme UAT' },
        { loginUrl: 'https://crm.sandbox.test:8443', label: 'Demo' },
      ];
      const accepted = await salesforce(environments);
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ settings: { environments } });
      for (const loginUrl of [
        'http://login.salesforce.com',
        'https://login.salesforce.com.evil.com',
        'https://evil.example.com',
        'https://acme.my.salesforce.com:8443',
        'https://user:pw@login.salesforce.com',
      ]) {
        const refused = await salesforce([
          { loginUrl: 'https://login.salesforce.com', label: 'Production' },
          { loginUrl, label: 'Other' },
        ]);
        expect(refused.status, loginUrl).toBe(400);
        expect(refused.body, loginUrl).toMatchObject({
          error: {
            code: 'invalid_input',
            issues: [{ path: 'settings.environments.1.loginUrl', message: expect.any(String) }],
          },
        });
      }
      const unlabelled = await salesforce([{ loginUrl: 'https://test.salesforce.com' }]);
      expect(unlabelled.body).toMatchObject({
        error: { code: 'invalid_input', issues: [{ path: 'settings.environments.0.label' }] },
      });

      expect(
        (
          await enable(adminA, 'outlook', {
            enabled: true,
            audience: { kind: 'groups', groups: [GROUP_SALES] },
            settings: {},
          })
        ).status,
      ).toBe(200);
      const outlookExtra = await enable(adminA, 'outlook', {
        enabled: true,
        audience: { kind: 'all' },
        settings: { orgUrl: 'https://contoso.crm4.dynamics.com' },
      });
      expect(outlookExtra.status).toBe(400);
      expect(outlookExtra.body).toMatchObject({
        error: {
          code: 'invalid_input',
          issues: [{ path: 'settings', message: expect.stringContaining('orgUrl') }],
        },
      });

      const unknown = await enable(adminA, 'hubspot', {
        enabled: true,
        audience: { kind: 'all' },
        settings: {},
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({
        error: {
          code: 'invalid_input',
          message: expect.stringMatching(/dynamics, salesforce, outlook/),
        },
      });
      const badBody = await enable(adminA, 'outlook', {
        enabled: 'yes',
        audience: { kind: 'all' },
        settings: {},
      });
      expect(badBody.body).toMatchObject({
        error: { code: 'invalid_input', issues: [{ path: 'enabled' }] },
      });

      const listed = (
        (await call(adminA, 'GET', '/v1/admin/integrations')).body as {
          integrations: { id: string; audience: unknown; settings: unknown }[];
        }
      ).integrations;
      expect(listed.map((integration) => integration.id)).toEqual([
        'dynamics',
        'outlook',
        'salesforce',
      ]);
      expect(listed.find((integration) => integration.id === 'outlook')).toMatchObject({
        audience: { kind: 'groups' },
        settings: {},
      });
      expect(listed.find((integration) => integration.id === 'salesforce')?.settings).toEqual({
        environments,
      });
    });

    it('revokes: narrowing an audience, disabling an integration and revoking a user delete the ciphertext', async () => {
      // Ann (group member) and Bob both hold Outlook/Dynamics blobs.
      expect(
        (await put(ann, 'outlook', blobOf('ann-outlook'), { 'if-none-match': '*' })).status,
      ).toBe(200);
      expect(
        (await put(bob, 'outlook', blobOf('bob-outlook'), { 'if-none-match': '*' })).status,
      ).toBe(403); // not in the group

      // Carol leaves the group: her next token no longer carries it, so her blob goes at that request.
      const carol: TestUser = { tid: TENANT_A, oid: newOid(), groups: [GROUP_SALES] };
      expect(
        (await put(carol, 'outlook', blobOf('carol-outlook'), { 'if-none-match': '*' })).status,
      ).toBe(200);
      const carolLeft: TestUser = { ...carol, groups: [] };
      expect((await call(carolLeft, 'GET', `/v1/blobs/outlook/${device}`)).status).toBe(403);
      expect((await call(carol, 'GET', `/v1/blobs/outlook/${device}`)).status).toBe(404);

      // Narrow Dynamics to Ann only: Bob's Dynamics blob goes, his next call is refused.
      const narrowed = await enable(adminA, 'dynamics', {
        enabled: true,
        audience: { kind: 'users', users: [ann.oid] },
        settings: { orgUrl: 'https://contoso.crm4.dynamics.com' },
      });
      expect(narrowed.body).toMatchObject({ revokedBlobs: 1 });
      expect((await call(bob, 'GET', `/v1/blobs/dynamics/${device}`)).status).toBe(403);
      expect((await call(ann, 'GET', `/v1/blobs/dynamics/${device}`)).status).toBe(200);

      // A group audience Ann's recorded groups no longer match.
      const regrouped = await enable(adminA, 'outlook', {
        enabled: true,
        audience: { kind: 'groups', groups: ['aaaaaaaa-0000-4000-8000-00000000ffff'] },
        settings: {},
      });
      expect(regrouped.body).toMatchObject({ revokedBlobs: 1 });

      // Revoke one user.
      const revoked = await call(adminA, 'DELETE', `/v1/admin/users/${ann.oid}/blobs`);
      expect(revoked.body).toEqual({ deleted: 1 });
      expect((await call(ann, 'GET', `/v1/blobs/dynamics/${device}`)).status).toBe(404);

      // Disable entirely.
      expect((await put(ann, 'dynamics', blobOf('again'), { 'if-none-match': '*' })).status).toBe(
        200,
      );
      const disabled = await call(adminA, 'DELETE', '/v1/admin/integrations/dynamics');
      expect(disabled.body).toMatchObject({ enabled: false, revokedBlobs: 1 });
      expect((await call(ann, 'GET', `/v1/blobs/dynamics/${device}`)).status).toBe(403);
      expect((await call(ann, 'GET', '/v1/me/integrations')).body).toEqual({ integrations: [] });
      expect(
        Number(
          (
            await db().all<{ n: number }>('SELECT COUNT(*) AS n FROM blobs WHERE tid = ?', [
              TENANT_A,
            ])
          )[0]?.n,
        ),
      ).toBe(0);
    });

    it('deletes every connection of an integration when a user is revoked, dropped from the audience or the integration disabled', async () => {
      expect(
        (
          await enable(adminA, 'salesforce', {
            enabled: true,
            audience: { kind: 'all' },
            settings: {},
          })
        ).status,
      ).toBe(200);
      const holdTwo = async (user: TestUser) => {
        for (const connection of ['production', 'sandbox']) {
          const created = await call(user, 'PUT', `/v1/blobs/salesforce/${connection}/${device}`, {
            body: { blob: blobOf(connection) },
            headers: { 'if-none-match': '*' },
          });
          expect(created.status).toBe(200);
        }
      };
      const held = async (user: TestUser) =>
        Number(
          (
            await db().all<{ n: number }>(
              'SELECT COUNT(*) AS n FROM blobs WHERE tid = ? AND oid = ?',
              [user.tid, user.oid],
            )
          )[0]?.n,
        );

      const erin: TestUser = { tid: TENANT_A, oid: newOid() };
      await holdTwo(erin);
      expect(
        (await call(adminA, 'DELETE', `/v1/admin/users/${erin.oid}/blobs?integration=salesforce`))
          .body,
      ).toEqual({ deleted: 2 });
      expect(await held(erin)).toBe(0);

      const frank: TestUser = { tid: TENANT_A, oid: newOid() };
      await holdTwo(frank);
      expect(
        (
          await enable(adminA, 'salesforce', {
            enabled: true,
            audience: { kind: 'users', users: [erin.oid] },
            settings: {},
          })
        ).body,
      ).toMatchObject({ revokedBlobs: 2 });
      expect(await held(frank)).toBe(0);
      expect((await call(frank, 'GET', `/v1/blobs/salesforce/sandbox/${device}`)).status).toBe(403);

      await holdTwo(erin);
      expect(
        (await call(adminA, 'DELETE', '/v1/admin/integrations/salesforce')).body,
      ).toMatchObject({ revokedBlobs: 2 });
      expect(await held(erin)).toBe(0);

      // A user whose group left the audience loses every connection at their next request, whichever it names.
      const gina: TestUser = { tid: TENANT_A, oid: newOid(), groups: [GROUP_SALES] };
      expect(
        (
          await enable(adminA, 'salesforce', {
            enabled: true,
            audience: { kind: 'groups', groups: [GROUP_SALES] },
            settings: {},
          })
        ).status,
      ).toBe(200);
      await holdTwo(gina);
      expect(
        (await call({ ...gina, groups: [] }, 'GET', `/v1/blobs/salesforce/production/${device}`))
          .status,
      ).toBe(403);
      expect(await held(gina)).toBe(0);
      expect((await call(adminA, 'DELETE', '/v1/admin/integrations/salesforce')).status).toBe(200);
    });

    it('audits every blob access and admin action without the blob or the token', async () => {
      const tokenUsed = await idp.mint(adminA);
      const page = await httpsJson(`${store.url}/v1/admin/audit?limit=500`, {
        ca: idp.tls.caCert,
        headers: { authorization: `Bearer ${tokenUsed}` },
      });
      const entries = (
        page.body as {
          entries: {
            action: string;
            tenantId: string;
            requestId: string;
            integration: string | null;
            connection: string | null;
            deviceId: string | null;
          }[];
        }
      ).entries;
      const actions = new Set(entries.map((entry) => entry.action));
      for (const action of [
        'blob.read',
        'blob.write',
        'blob.delete',
        'blob.revoked',
        'admin.integration.set',
        'admin.integration.disable',
        'admin.user.revoke',
      ])
        expect(actions).toContain(action);
      // Blob accesses name their connection (the two-segment routes' is `default`); admin actions none.
      const connections = (action: string) =>
        new Set(
          entries
            .filter((entry) => entry.action === action && entry.integration === 'salesforce')
            .map((entry) => entry.connection),
        );
      expect(connections('blob.write')).toEqual(new Set(['production', 'sandbox']));
      expect(
        entries.some(
          (entry) =>
            entry.action === 'blob.write' &&
            entry.integration === 'dynamics' &&
            entry.connection === 'default',
        ),
      ).toBe(true);
      expect(
        entries.some(
          (entry) => entry.action === 'blob.delete' && entry.connection === 'fabrikam-crm',
        ),
      ).toBe(true);
      expect(connections('admin.integration.set')).toEqual(new Set([null]));
      expect(
        entries.every((entry) => entry.tenantId === TENANT_A && entry.requestId.length > 0),
      ).toBe(true);
      const dump = JSON.stringify(await db().all('SELECT * FROM audit_log'));
      expect(dump).not.toContain(blobOf('ann'));
      expect(dump).not.toContain('ciphertext');
      expect(dump).not.toContain('eyJ');
      // Tenant B's admin sees only tenant B.
      const other = await call(adminB, 'GET', '/v1/admin/audit');
      expect(
        (other.body as { entries: { tenantId: string }[] }).entries.every(
          (entry) => entry.tenantId === TENANT_B,
        ),
      ).toBe(true);
      // Paging walks back without repeats.
      const first = await call(adminA, 'GET', '/v1/admin/audit?limit=3');
      const cursor = (first.body as { next?: string }).next;
      expect(cursor).toBeDefined();
      const second = await call(adminA, 'GET', `/v1/admin/audit?limit=3&before=${cursor ?? ''}`);
      const ids = [
        ...(first.body as { entries: { id: string }[] }).entries,
        ...(second.body as { entries: { id: string }[] }).entries,
      ].map((entry) => entry.id);
      expect(new Set(ids).size).toBe(6);
    });

    it('audits each admin change with its state before and after, and filters the log', async () => {
      const tenant = '44444444-4444-4444-8444-444444444444';
      const admin: TestUser = { tid: tenant, oid: newOid(), admin: true };
      const first = { enabled: true, audience: { kind: 'all' }, settings: {} };
      const second = {
        enabled: true,
        audience: { kind: 'groups', groups: [GROUP_SALES] },
        settings: {},
      };
      expect((await enable(admin, 'outlook', first)).status).toBe(200);
      expect((await enable(admin, 'outlook', second)).status).toBe(200);
      expect((await call(admin, 'DELETE', '/v1/admin/integrations/outlook')).status).toBe(200);
      expect((await call(admin, 'DELETE', `/v1/admin/users/${bob.oid}/blobs`)).status).toBe(200);
      const page = await call(admin, 'GET', '/v1/admin/audit?limit=500');
      const entries = (
        page.body as {
          entries: { action: string; targetUserId: string | null; detail?: unknown }[];
        }
      ).entries.reverse();
      expect(entries.filter((entry) => entry.action.startsWith('admin.integration'))).toEqual([
        expect.objectContaining({
          action: 'admin.integration.set',
          detail: { before: null, after: first },
        }),
        expect.objectContaining({
          action: 'admin.integration.set',
          detail: { before: first, after: second },
        }),
        expect.objectContaining({
          action: 'admin.integration.disable',
          detail: { before: second, after: { ...second, enabled: false } },
        }),
      ]);
      expect(entries.find((entry) => entry.action === 'admin.user.revoke')).toMatchObject({
        targetUserId: bob.oid,
        detail: { after: { connected: [], deletedBlobs: 0 } },
      });
      // Reads and blob accesses carry no detail.
      expect(entries.find((entry) => entry.action === 'admin.audit.read')?.detail).toBeUndefined();

      const repository = new TokenStoreRepository(db());
      const byUser = await repository.readAudit(tenant, 500, undefined, { user: bob.oid });
      expect(byUser.map((entry) => entry.action)).toEqual(['admin.user.revoke']);
      const byAction = await repository.readAudit(tenant, 500, undefined, {
        action: 'admin.integration.set',
        integration: 'outlook',
      });
      expect(byAction).toHaveLength(2);
      const times = byAction.map((entry) => Date.parse(entry.at)).sort((a, b) => a - b);
      const from = times[1] ?? 0;
      expect(
        await repository.readAudit(tenant, 500, undefined, {
          action: 'admin.integration.set',
          from,
        }),
      ).toHaveLength(times.filter((at) => at >= from).length);
      expect(
        await repository.readAudit(tenant, 500, undefined, { to: times[0] ?? 0 }),
      ).toHaveLength(0);
    });

    it('stores an audit batch larger than one INSERT statement whole', async () => {
      // auditMany writes several rows per statement (50 on SQLite, 5,000 on PostgreSQL); a batch
      // spanning statements, with a partial last one, must land whole and unchanged.
      const tenant = '33333333-3333-4333-8333-333333333333';
      const entries = Array.from({ length: 5_123 }, (_, index) => ({
        record: {
          tenantId: tenant,
          actorId: bob.oid,
          action: 'blob.read' as const,
          integration: 'dynamics',
          connection: 'default',
          deviceId: device,
          targetUserId: bob.oid,
          outcome: 200,
          requestId: `batch-${index}`,
        },
        at: 1_000 + index,
      }));
      await new TokenStoreRepository(db()).auditMany(entries);
      const stored = await new TokenStoreRepository(db()).readAudit(tenant, 10_000);
      expect(stored.map((entry) => entry.requestId).sort()).toEqual(
        entries.map((entry) => entry.record.requestId).sort(),
      );
      expect(stored.every((entry) => entry.outcome === 200 && entry.connection === 'default')).toBe(
        true,
      );
      expect(stored.at(-1)?.at).toBe(new Date(1_000).toISOString());
    });

    it("answers the caller's policy under an ETag that changes with every admin change concerning them", async () => {
      const carol: TestUser = { tid: TENANT_B, oid: newOid() };
      const other = newOid();
      const policy = async (etag?: string) =>
        call(carol, 'GET', '/v1/me/policy', etag ? { headers: { 'if-none-match': etag } } : {});
      const first = await policy();
      expect(first.status).toBe(200);
      const tag = String(first.headers.etag);
      expect(tag).toMatch(/^"[\w-]+"$/);
      expect((await policy(tag)).status).toBe(304);

      // Outlook for carol alone: a new policy; then narrowed to someone else: carol loses it.
      expect(
        (
          await enable(adminB, 'outlook', {
            enabled: true,
            audience: { kind: 'users', users: [carol.oid] },
            settings: {},
          })
        ).status,
      ).toBe(200);
      const granted = await policy(tag);
      expect(granted.status).toBe(200);
      expect(granted.body).toMatchObject({
        integrations: expect.arrayContaining([expect.objectContaining({ id: 'outlook' })]),
      });
      const grantedTag = String(granted.headers.etag);
      await enable(adminB, 'outlook', {
        enabled: true,
        audience: { kind: 'users', users: [other] },
        settings: {},
      });
      const narrowed = await policy(grantedTag);
      expect(narrowed.status).toBe(200);
      expect(
        (narrowed.body as { integrations: { id: string }[] }).integrations.map((item) => item.id),
      ).not.toContain('outlook');
      const narrowedTag = String(narrowed.headers.etag);

      // Another user's change is not carol's: still 304.
      await call(adminB, 'DELETE', `/v1/admin/users/${other}/blobs`);
      expect((await policy(narrowedTag)).status).toBe(304);

      // Revoking carol raises her epoch.
      await call(adminB, 'DELETE', `/v1/admin/users/${carol.oid}/blobs?integration=dynamics`);
      const revoked = await policy(narrowedTag);
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({ revocations: { dynamics: 1 } });
    });

    it('fetches the JWKS once and reuses it', () => {
      expect(idp.jwksFetches()).toBe(1);
    });
  });
}
