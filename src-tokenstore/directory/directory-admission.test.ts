import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USER_INACTIVE_MESSAGE } from '../../src-shared/tokenstore/directory-api';
import { startTokenStore, type RunningTokenStore } from '../start-token-store';
import { httpsJson } from '../test/https-client';
import { newOid, startTestIdp, TENANT_A, type TestIdp, type TestUser } from '../test/test-idp';
import { DirectoryRepository, type SyncedUser } from './directory-repository';
import { directoryBackends } from './test/directory-db';

const backends = await directoryBackends('directory admission on PostgreSQL');

// Any catalog integration will do; the first one the store lists is used.
const GROUP = 'cccccccc-0000-4000-8000-000000000001';
const device = 'device-0001';
const blob = Buffer.from('ciphertext').toString('base64url');

for (const backend of backends) {
  describe(`admission by the synced directory on ${backend.name}`, () => {
    let idp: TestIdp;
    let store: RunningTokenStore;
    let directory: DirectoryRepository;
    let integration: string;
    const admin: TestUser = { tid: TENANT_A, oid: newOid(), admin: true };
    const member: TestUser = { tid: TENANT_A, oid: newOid() };
    const outsider: TestUser = { tid: TENANT_A, oid: newOid() };
    const synced = (user: TestUser, n: number, isDisabled = false): SyncedUser => ({
      systemUserId: `00000000-0000-4000-8000-00000000000${n}`,
      objectId: user.oid.toUpperCase(),
      fullName: `Person ${n}`,
      email: null,
      domainName: null,
      title: null,
      businessUnitId: null,
      isDisabled,
    });

    const call = async (
      user: TestUser,
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) =>
      httpsJson(`${store.url}${path}`, {
        method,
        ca: idp.tls.caCert,
        body,
        headers: { authorization: `Bearer ${await idp.mint(user)}`, ...headers },
      });

    beforeAll(async () => {
      idp = await startTestIdp();
      store = await startTokenStore({
        tls: { cert: idp.tls.serverCert, key: idp.tls.serverKey },
        auth: idp.authConfig(),
        logger: false,
        ...backend.options,
      });
      directory = new DirectoryRepository(store.db);
      const { integrationCatalog } = await import('../../src-shared/integrations/catalog');
      // An integration whose settings may be empty.
      for (const entry of integrationCatalog) {
        const response = await call(admin, 'PUT', `/v1/admin/integrations/${entry.id}`, {
          enabled: true,
          audience: { kind: 'groups', groups: [GROUP] },
          settings: {},
        });
        if (response.status === 200) {
          integration = entry.id;
          break;
        }
      }
      expect(integration).toBeDefined();
      await directory.applyUsers(TENANT_A, [synced(member, 1), synced(outsider, 2)], undefined, 1);
      await directory.applyTeams(
        TENANT_A,
        [{ teamId: 'team-1', name: 'Sales', objectId: GROUP.toUpperCase(), teamType: 2 }],
        'teams-1',
        1,
      );
      await directory.applyMemberships(
        TENANT_A,
        [{ teamId: 'team-1', systemUserId: synced(member, 1).systemUserId }],
        'teams-1',
      );
    });
    afterAll(async () => {
      await store?.stop();
      await idp?.stop();
      await backend.cleanup();
    });

    it('admits a member of an allowed group by the synced team memberships, though their token names no group', async () => {
      const me = await call(member, 'GET', '/v1/me/integrations');
      expect(me.status).toBe(200);
      expect((me.body as { integrations: { id: string }[] }).integrations.map((i) => i.id)).toEqual(
        [integration],
      );
      const put = await call(
        member,
        'PUT',
        `/v1/blobs/${integration}/${device}`,
        { blob },
        {
          'if-none-match': '*',
        },
      );
      expect(put.status).toBe(200);
      const outside = await call(
        outsider,
        'PUT',
        `/v1/blobs/${integration}/${device}`,
        { blob },
        {
          'if-none-match': '*',
        },
      );
      expect(outside.status).toBe(403);
      expect((outside.body as { error: { code: string } }).error.code).toBe('forbidden');
    });

    it('keeps a synced member’s blobs when an admin saves the group audience again', async () => {
      const saved = await call(admin, 'PUT', `/v1/admin/integrations/${integration}`, {
        enabled: true,
        audience: { kind: 'groups', groups: [GROUP] },
        settings: {},
      });
      expect((saved.body as { revokedBlobs: number }).revokedBlobs).toBe(0);
      expect((await call(member, 'GET', `/v1/blobs/${integration}/${device}`)).status).toBe(200);
    });

    it('refuses a user the directory disables with user_inactive, on every route, and their blobs are gone', async () => {
      await directory.applyUsers(TENANT_A, [synced(member, 1, true)], undefined, 2);
      const read = await call(member, 'GET', `/v1/blobs/${integration}/${device}`);
      expect(read.status).toBe(403);
      expect(read.body).toMatchObject({
        error: { code: 'user_inactive', message: USER_INACTIVE_MESSAGE },
      });
      const write = await call(
        member,
        'PUT',
        `/v1/blobs/${integration}/${device}`,
        { blob },
        {
          'if-none-match': '*',
        },
      );
      expect((write.body as { error: { code: string } }).error.code).toBe('user_inactive');
      const me = await call(member, 'GET', '/v1/me/integrations');
      expect(me.status).toBe(403);
      expect((me.body as { error: { code: string } }).error.code).toBe('user_inactive');
      const left = await store.db.all('SELECT 1 FROM blobs WHERE lower(oid) = ?', [
        member.oid.toLowerCase(),
      ]);
      expect(left).toEqual([]);
    });
  });
}
