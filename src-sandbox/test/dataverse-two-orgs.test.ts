import { PublicClientApplication } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSTATION_CLIENT_ID } from '../../src-shared/demo-tenant';
import { startSandbox, type Sandbox } from '../start-sandbox';
import { createCaNetworkClient } from '../test-support/ca-network-client';
import { completeConsent } from '../test-support/consent-driver';
import { sandboxFetch } from '../test-support/sandbox-fetch';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';

// A company with two Dataverse orgs (environments): each has its own URL, its own data and its own
// systemusers, and a token is for exactly one of them: Entra sets `aud` to the resource the token
// was requested for (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference),
// and the Web API refuses any other token with 401 Unauthorized
// (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors).
describe('Dataverse stand-in with two orgs', () => {
  let sandbox: Sandbox;
  let orgA: string;
  let orgB: string;
  const tokens: Record<'a' | 'b', string> = { a: '', b: '' };
  const get = (org: string, path: string, token: string) =>
    sandboxFetch(`${org}/api/data/v9.2/${path}`, { ca: sandbox.tls.caCert, token });

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small', faults: { search: { searchLimits: false } } });
    [orgA = '', orgB = ''] = sandbox.dataverse.orgUrls;
    tokens.a = await sandbox.mintAccessToken({ user: ALEX, scope: `${orgA}/user_impersonation` });
    tokens.b = await sandbox.mintAccessToken({ user: ALEX, scope: `${orgB}/user_impersonation` });
  });
  afterAll(async () => sandbox?.stop());

  it('serves a second org on its own origin; the first stays the default org URL', () => {
    expect(sandbox.dataverse.orgUrls).toHaveLength(2);
    expect(orgA).toBe(sandbox.dataverse.orgUrl);
    expect(orgB).toMatch(/^https:\/\/localhost:\d+$/);
    expect(new URL(orgB).port).not.toBe(new URL(orgA).port);
    expect(sandbox.dataverse.orgs.map((org) => [org.label, org.url])).toEqual([
      ['contoso', orgA],
      ['fabrikam', orgB],
    ]);
  });

  it("issues each org's user_impersonation token with that org as its audience, also through MSAL", async () => {
    expect(decodeJwt(tokens.a).aud).toBe(orgA);
    expect(decodeJwt(tokens.b).aud).toBe(orgB);
    const client = new PublicClientApplication({
      auth: {
        clientId: WORKSTATION_CLIENT_ID,
        authority: sandbox.entra.authority(),
        knownAuthorities: [sandbox.entra.knownAuthority],
      },
      system: { protocolMode: 'OIDC', networkClient: createCaNetworkClient(sandbox.tls.caCert) },
    });
    const result = await client.acquireTokenInteractive({
      scopes: [`${orgB}/user_impersonation`],
      openBrowser: (url) => completeConsent(url, { user: ALEX, ca: sandbox.tls.caCert }),
      successTemplate: 'done',
      errorTemplate: 'failed',
    });
    expect(decodeJwt(result.accessToken).aud).toBe(orgB);
    expect((await get(orgB, 'WhoAmI', result.accessToken)).status).toBe(200);
  });

  it("refuses the other org's token with 401 and its own tenant-discovery challenge, both ways", async () => {
    for (const [org, token] of [
      [orgA, tokens.b],
      [orgB, tokens.a],
    ] as const) {
      const refused = await get(org, 'WhoAmI', token);
      expect(refused.status, org).toBe(401);
      expect(refused.headers['www-authenticate'], org).toContain(`resource_id=${org}/`);
      expect((await get(org, 'accounts?$select=name', token)).status, org).toBe(401);
    }
  });

  it('answers WhoAmI per org: its own systemuser and organization for the same person', async () => {
    const whoAmI = async (org: string, token: string) =>
      (await get(org, 'WhoAmI', token)).json<{
        UserId: string;
        OrganizationId: string;
        BusinessUnitId: string;
      }>();
    const [a, b] = [await whoAmI(orgA, tokens.a), await whoAmI(orgB, tokens.b)];
    expect(b.UserId).not.toBe(a.UserId);
    expect(b.OrganizationId).not.toBe(a.OrganizationId);
    expect(b.BusinessUnitId).not.toBe(a.BusinessUnitId);
    const oid = sandbox.users.find((user) => user.upn === ALEX)?.oid;
    expect(
      (
        await get(orgA, `systemusers(${a.UserId})?$select=azureactivedirectoryobjectid`, tokens.a)
      ).json(),
    ).toMatchObject({ azureactivedirectoryobjectid: oid });
    expect(
      (
        await get(orgB, `systemusers(${b.UserId})?$select=azureactivedirectoryobjectid`, tokens.b)
      ).json(),
    ).toMatchObject({ azureactivedirectoryobjectid: oid });
    expect((await get(orgB, `systemusers(${a.UserId})`, tokens.b)).status).toBe(404);
  });

  it('answers each org its own data, with its own URLs in the answers', async () => {
    const names = async (org: string, token: string) => {
      const response = await get(org, 'accounts?$select=name', token);
      expect(response.json<{ '@odata.context': string }>()['@odata.context']).toBe(
        `${org}/api/data/v9.2/$metadata#accounts(name)`,
      );
      return response.json<{ value: { name: string }[] }>().value.map((row) => row.name);
    };
    const [a, b] = [await names(orgA, tokens.a), await names(orgB, tokens.b)];
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(b.filter((name) => a.includes(name))).toEqual([]);
    const contacts = (await get(orgB, 'contacts?$select=emailaddress1&$top=5', tokens.b)).json<{
      value: { emailaddress1: string }[];
    }>().value;
    expect(contacts.every((row) => row.emailaddress1.endsWith('@fabrikam.example'))).toBe(true);
    const search = await sandboxFetch(`${orgB}/api/search/v2.0/query`, {
      ca: sandbox.tls.caCert,
      token: tokens.b,
      method: 'POST',
      body: { search: 'fourth coffee', entities: JSON.stringify([{ name: 'account' }]) },
    });
    const hits = JSON.parse(search.json<{ response: string }>().response) as {
      Value: { Attributes: { name: string } }[];
    };
    expect(hits.Value.length).toBeGreaterThan(0);
    expect(hits.Value.every((hit) => hit.Attributes.name.startsWith('Fourth Coffee'))).toBe(true);
  });

  it("counts the second org's requests under its own label; both orgs share the dataverse and search knobs", async () => {
    sandbox.counters.reset();
    await get(orgA, 'WhoAmI', tokens.a);
    await get(orgB, 'WhoAmI', tokens.b);
    await get(orgB, 'WhoAmI', tokens.b);
    await sandboxFetch(`${orgB}/api/search/v2.0/query`, {
      ca: sandbox.tls.caCert,
      token: tokens.b,
      method: 'POST',
      body: { search: 'coffee' },
    });
    const counts = sandbox.counters.snapshot();
    expect(counts.byService).toMatchObject({
      dataverse: 1,
      'dataverse:fabrikam': 2,
      'search:fabrikam': 1,
    });
    expect(counts.byService.search).toBeUndefined();
    sandbox.faults.set('dataverse', { throttleRetryAfterSec: 7 });
    try {
      for (const [org, token] of [
        [orgA, tokens.a],
        [orgB, tokens.b],
      ] as const) {
        const throttled = await get(org, 'WhoAmI', token);
        expect(throttled.status, org).toBe(429);
        expect(throttled.headers['retry-after'], org).toBe('7');
      }
    } finally {
      sandbox.faults.set('dataverse', { throttleRetryAfterSec: 0 });
    }
  });
});
