import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIRECTORY_SYNC_CLIENT_ID } from '../../src-shared/demo-tenant';
import { startSandbox, type Sandbox } from '../start-sandbox';
import { postForm } from '../test-support/post-form';
import { sandboxFetch } from '../test-support/sandbox-fetch';

// The directory knobs of the admin API, which tests of the token store drive while it runs.
describe('Sandbox admin API: directory knobs', () => {
  let sandbox: Sandbox;
  const admin = (path: string, method = 'GET', body?: unknown) =>
    sandboxFetch(`${sandbox.adminUrl}${path}`, { ca: sandbox.tls.caCert, method, body });
  const token = () =>
    postForm(
      sandbox.directory.tokenUrl,
      {
        client_id: DIRECTORY_SYNC_CLIENT_ID,
        client_secret: sandbox.directory.clientSecret,
        scope: `${sandbox.dataverse.orgUrl}/.default`,
        grant_type: 'client_credentials',
      },
      sandbox.tls.caCert,
    );
  const whoAmI = async () =>
    sandboxFetch(`${sandbox.dataverse.orgUrl}/api/data/v9.2/WhoAmI`, {
      ca: sandbox.tls.caCert,
      token: (await token()).json<{ access_token: string }>().access_token,
    });

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small', directoryUsers: 25 });
  });
  afterAll(async () => sandbox?.stop());

  it('describes the app without its secret, and writes the credentials to 0600 files', async () => {
    const info = (await admin('/directory')).json();
    expect(info).toMatchObject({
      clientId: DIRECTORY_SYNC_CLIENT_ID,
      tokenUrl: sandbox.directory.tokenUrl,
      clientSecretId: sandbox.directory.clientSecretId,
      certificateThumbprintSha256: sandbox.directory.certificate.thumbprintSha256,
      orgs: sandbox.dataverse.orgs.map((org) => ({ label: org.label, url: org.url })),
    });
    expect(JSON.stringify(info)).not.toContain(sandbox.directory.clientSecret);
    expect(readFileSync(sandbox.directory.files.clientSecret, 'utf8')).toBe(
      sandbox.directory.clientSecret,
    );
    expect(readFileSync(sandbox.directory.files.privateKey, 'utf8')).toBe(
      sandbox.directory.certificate.keyPem,
    );
    for (const file of [sandbox.directory.files.clientSecret, sandbox.directory.files.privateKey])
      expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('starts with the synthetic people asked for and grows the directory on request', async () => {
    const before = sandbox.directory.org('contoso').rows('systemuser').length;
    // 5 demo people, 25 synthetic, the application user.
    expect(before).toBe(31);
    const grown = await admin('/directory/contoso/synthetic-users', 'POST', { count: 10 });
    expect(grown.json()).toEqual({ synthetic: 35, systemusers: 41 });
    expect((await admin('/directory/contoso/synthetic-users', 'POST', { count: 0 })).status).toBe(
      400,
    );
  });

  it('removes and restores the application user and its role', async () => {
    expect(
      (await admin('/directory/contoso/application-user', 'POST', { present: false })).json(),
    ).toEqual({ present: false, securityRole: true });
    expect((await whoAmI()).json()).toMatchObject({ error: { code: '0x80072560' } });
    await admin('/directory/contoso/application-user', 'POST', { present: true });
    expect((await whoAmI()).status).toBe(200);
    expect(
      (await admin('/directory/contoso/application-user', 'POST', { securityRole: 'no' })).status,
    ).toBe(400);
  });

  it('expires the client secret (AADSTS7000222) and renews it', async () => {
    await admin('/directory/app', 'POST', { secretExpired: true });
    const expired = await token();
    expect(expired.status).toBe(401);
    expect(expired.json().error_codes).toEqual([7000222]);
    await admin('/directory/app', 'POST', { secretExpired: false });
    expect((await token()).status).toBe(200);
  });

  it('adds, changes, disables and deletes a person', async () => {
    const created = await admin('/directory/contoso/users', 'POST', {
      fullname: 'Ada Admin',
      title: 'Engineer',
    });
    expect(created.status).toBe(201);
    const id = String(created.json().systemuserid);
    const changed = await admin(`/directory/contoso/users/${id}`, 'PATCH', {
      isdisabled: true,
      title: 'Former engineer',
    });
    expect(changed.json()).toMatchObject({ isdisabled: true, title: 'Former engineer' });
    expect((await admin(`/directory/contoso/users/${id}`, 'PATCH', { unknown: 1 })).status).toBe(
      400,
    );
    expect((await admin(`/directory/contoso/users/${id}`, 'DELETE')).json()).toEqual({
      deleted: true,
    });
    expect((await admin(`/directory/contoso/users/${id}`, 'DELETE')).status).toBe(404);
    expect((await admin('/directory/nowhere/users', 'POST', { fullname: 'X' })).status).toBe(404);
  });

  it('sets change tracking knobs and expires every delta token now', async () => {
    const access = (await token()).json<{ access_token: string }>().access_token;
    const read = (url: string, prefer?: string) =>
      sandboxFetch(url, {
        ca: sandbox.tls.caCert,
        token: access,
        headers: prefer ? { prefer } : {},
      });
    const initial = await read(
      `${sandbox.dataverse.orgUrl}/api/data/v9.2/systemusers?$select=fullname`,
      'odata.track-changes',
    );
    const deltaLink = String(initial.json()['@odata.deltaLink']);
    expect((await read(deltaLink)).status).toBe(200);
    const knobs = await admin('/directory/contoso/change-tracking', 'POST', {
      expireInDays: 3,
      expireTokensNow: true,
    });
    expect(knobs.json()).toMatchObject({ enabled: true, expireInDays: 3 });
    expect((await read(deltaLink)).status).toBe(400);
  });
});
