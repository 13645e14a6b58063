import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENSTORE_SCOPE } from '../../src-shared/demo-tenant';
import { startDemoServices, type DemoServices } from './test/demo-services';
import { TokenStoreClient } from './token-store-client';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';

describe('token store client against the real store and the sandbox IdP', () => {
  let demo: DemoServices;
  beforeAll(async () => {
    demo = await startDemoServices();
  });
  afterAll(async () => demo?.stop());

  it('reads, creates, swaps and deletes blobs', async () => {
    const client = demo.clientFor(ALEX);
    expect(await client.getBlob('dynamics', 'device-crud')).toBeUndefined();
    const created = await client.putBlob('dynamics', 'device-crud', 'Zmlyc3Q', { create: true });
    expect(await client.getBlob('dynamics', 'device-crud')).toEqual({ blob: 'Zmlyc3Q', version: created.version, updatedAt: expect.any(String) });
    await expect(client.putBlob('dynamics', 'device-crud', 'c3RhbGU', { ifMatch: 'stale' })).rejects.toMatchObject({ code: 'conflict' });
    expect(await client.deleteBlob('dynamics', 'device-crud')).toBe(true);
    expect(await client.deleteBlob('dynamics', 'device-crud')).toBe(false);
  });

  it('retries a compare-and-swap once when another writer wins the race, letting the caller merge', async () => {
    const client = demo.clientFor(ALEX);
    const rival = demo.clientFor(ALEX);
    await client.putBlob('dynamics', 'device-cas', 'YmFzZQ', { create: true });
    const seen: (string | undefined)[] = [];
    await client.compareAndSwap('dynamics', 'device-cas', async (current) => {
      seen.push(current?.blob);
      if (seen.length === 1) {
        // Another window writes between our read and our write.
        const latest = await rival.getBlob('dynamics', 'device-cas');
        if (latest) await rival.putBlob('dynamics', 'device-cas', 'cml2YWw', { ifMatch: latest.version });
      }
      return `${current?.blob ?? ''}bWluZQ`;
    });
    // The first attempt lost (412); the retry saw the rival's blob and merged onto it.
    expect(seen).toEqual(['YmFzZQ', 'cml2YWw']);
    expect((await client.getBlob('dynamics', 'device-cas'))?.blob).toBe('cml2YWwbWluZQ');
  });

  it('turns store answers into actionable errors', async () => {
    const alex = demo.clientFor(ALEX);
    await expect(alex.getBlob('outlook', 'device-0001')).rejects.toMatchObject({ code: 'forbidden' });
    const badToken = new TokenStoreClient({ baseUrl: demo.store.url, extraCa: demo.sandbox.tls.caCert, getToken: async () => 'not-a-token' });
    await expect(badToken.listMyIntegrations()).rejects.toMatchObject({ code: 'needs_sign_in' });
    const down = new TokenStoreClient({ baseUrl: 'https://127.0.0.1:9', extraCa: demo.sandbox.tls.caCert, getToken: () => demo.sandbox.mintAccessToken({ user: ALEX, scope: TOKENSTORE_SCOPE }), timeoutMs: 2000 });
    await expect(down.listMyIntegrations()).rejects.toMatchObject({ code: 'store_unreachable', retryable: true, message: expect.stringContaining('keeps working') });
    const untrusted = new TokenStoreClient({ baseUrl: demo.store.url, getToken: async () => 'x' });
    await expect(untrusted.listMyIntegrations()).rejects.toMatchObject({ code: 'store_unreachable' });
  });

  it('lists what the admin enabled, with the org URL', async () => {
    expect(await demo.clientFor(ALEX).listMyIntegrations()).toEqual({ integrations: [{ id: 'dynamics', enabled: true, settings: { orgUrl: demo.sandbox.dataverse.orgUrl } }] });
  });
});
