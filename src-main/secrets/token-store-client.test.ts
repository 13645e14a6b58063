import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENSTORE_SCOPE } from '../../src-shared/demo-tenant';
import { USER_INACTIVE_MESSAGE } from '../../src-shared/tokenstore/directory-api';
import { DirectoryRepository } from '../../src-tokenstore/directory/directory-repository';
import { RemoteBlobStore } from '../auth/blob-store';
import { startDemoServices, type DemoServices } from './test/demo-services';
import { TokenStoreClient, type BlobKey } from './token-store-client';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';
const MEGAN = 'megan.bowen@contoso-sample.onmicrosoft.com';
const dynamics = (connection: string, deviceId: string): BlobKey => ({
  integration: 'dynamics',
  connection,
  deviceId,
});

describe('token store client against the real store and the sandbox IdP', () => {
  let demo: DemoServices;
  beforeAll(async () => {
    demo = await startDemoServices();
  });
  afterAll(async () => demo?.stop());

  it('reads, creates, swaps and deletes blobs', async () => {
    const client = demo.clientFor(ALEX);
    const key = dynamics('contoso-crm4', 'device-crud');
    expect(await client.getBlob(key)).toBeUndefined();
    const created = await client.putBlob(key, 'Zmlyc3Q', { create: true });
    expect(await client.getBlob(key)).toEqual({
      blob: 'Zmlyc3Q',
      version: created.version,
      updatedAt: expect.any(String),
    });
    await expect(client.putBlob(key, 'c3RhbGU', { ifMatch: 'stale' })).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(await client.deleteBlob(key)).toBe(true);
    expect(await client.deleteBlob(key)).toBe(false);
  });

  it("keeps each connection's blob apart, and a RemoteBlobStore touches only its own connection", async () => {
    const client = demo.clientFor(ALEX);
    const contoso = new RemoteBlobStore(client, dynamics('contoso-crm4', 'device-conn'));
    const fabrikam = new RemoteBlobStore(client, dynamics('fabrikam-crm', 'device-conn'));
    await contoso.write('Y29udG9zbw');
    expect(await fabrikam.read()).toBeUndefined();
    await fabrikam.write('ZmFicmlrYW0');
    await contoso.write('Y29udG9zbzI');
    expect(await contoso.read()).toBe('Y29udG9zbzI');
    expect(await fabrikam.read()).toBe('ZmFicmlrYW0');
    // The store keys them by connection: these are two rows, not one under `default`.
    const rows = await demo.store.db.all<{ connection_id: string }>(
      "SELECT connection_id FROM blobs WHERE device_id = 'device-conn' ORDER BY connection_id",
    );
    expect(rows.map((row) => row.connection_id)).toEqual(['contoso-crm4', 'fabrikam-crm']);
    await contoso.remove();
    expect(await contoso.read()).toBeUndefined();
    expect(await fabrikam.read()).toBe('ZmFicmlrYW0');
    expect(await client.getBlob(dynamics('default', 'device-conn'))).toBeUndefined();
  });

  it('retries a compare-and-swap once when another writer wins the race, letting the caller merge', async () => {
    const client = demo.clientFor(ALEX);
    const rival = demo.clientFor(ALEX);
    const key = dynamics('contoso-crm4', 'device-cas');
    await client.putBlob(key, 'YmFzZQ', { create: true });
    const seen: (string | undefined)[] = [];
    await client.compareAndSwap(key, async (current) => {
      seen.push(current?.blob);
      if (seen.length === 1) {
        // Another window writes between our read and our write.
        const latest = await rival.getBlob(key);
        if (latest) await rival.putBlob(key, 'cml2YWw', { ifMatch: latest.version });
      }
      return `${current?.blob ?? ''}bWluZQ`;
    });
    // The first attempt lost (412); the retry saw the rival's blob and merged onto it.
    expect(seen).toEqual(['YmFzZQ', 'cml2YWw']);
    expect((await client.getBlob(key))?.blob).toBe('cml2YWwbWluZQ');
  });

  it('keeps one TLS connection for its calls: the https agent is made once per client', async () => {
    const client = demo.clientFor(ALEX);
    let handshakes = 0;
    const count = () => (handshakes += 1);
    demo.store.app.server.on('secureConnection', count);
    try {
      for (let call = 0; call < 5; call += 1)
        await client.getBlob(dynamics('contoso-crm4', 'device-agent'));
    } finally {
      demo.store.app.server.off('secureConnection', count);
    }
    expect(handshakes).toBe(1);
  });

  it('turns store answers into actionable errors', async () => {
    const alex = demo.clientFor(ALEX);
    await expect(
      alex.getBlob({ integration: 'outlook', connection: 'default', deviceId: 'device-0001' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const badToken = new TokenStoreClient({
      baseUrl: demo.store.url,
      extraCa: demo.sandbox.tls.caCert,
      getToken: async () => 'not-a-token',
    });
    await expect(badToken.listMyIntegrations()).rejects.toMatchObject({ code: 'needs_sign_in' });
    const down = new TokenStoreClient({
      baseUrl: 'https://127.0.0.1:9',
      extraCa: demo.sandbox.tls.caCert,
      getToken: () => demo.sandbox.mintAccessToken({ user: ALEX, scope: TOKENSTORE_SCOPE }),
      timeoutMs: 2000,
    });
    await expect(down.listMyIntegrations()).rejects.toMatchObject({
      code: 'store_unreachable',
      retryable: true,
      message: expect.stringContaining('keeps working'),
    });
    const untrusted = new TokenStoreClient({ baseUrl: demo.store.url, getToken: async () => 'x' });
    await expect(untrusted.listMyIntegrations()).rejects.toMatchObject({
      code: 'store_unreachable',
    });
  });

  it('lists what the admin enabled, with the org URL', async () => {
    expect(await demo.clientFor(ALEX).listMyIntegrations()).toEqual({
      integrations: [
        { id: 'dynamics', enabled: true, settings: { orgUrl: demo.sandbox.dataverse.orgUrl } },
      ],
    });
  });

  it('turns a user the synced directory marks inactive into user_inactive, with the message to show', async () => {
    const megan = demo.sandbox.users.find((user) => user.upn === MEGAN)!;
    await new DirectoryRepository(demo.store.db).applyUsers(
      megan.tenantId,
      [
        {
          systemUserId: '00000000-0000-4000-8000-00000000e0e0',
          objectId: megan.oid,
          fullName: 'Megan Bowen',
          email: null,
          domainName: MEGAN,
          title: null,
          businessUnitId: null,
          isDisabled: true,
        },
      ],
      undefined,
      Date.now(),
    );
    const client = demo.clientFor(MEGAN);
    await expect(client.listMyIntegrations()).rejects.toMatchObject({
      code: 'user_inactive',
      message: USER_INACTIVE_MESSAGE,
    });
    await expect(client.getBlob(dynamics('contoso-crm4', 'device-inactive'))).rejects.toMatchObject(
      {
        code: 'user_inactive',
      },
    );
  });
});
