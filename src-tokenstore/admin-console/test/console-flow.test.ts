import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_CONSOLE_CLIENT_ID,
  DEMO_OTHER_TENANT_ID,
  DEMO_TENANT_ID,
  TOKENSTORE_ADMIN_ROLE,
  TOKENSTORE_APP_ID,
  TOKENSTORE_SCOPE,
  TOKENSTORE_SCOPE_NAME,
  WORKSTATION_CLIENT_ID,
} from '../../../src-shared/demo-tenant';
import { SALES_GROUP_ID, SUPPORT_GROUP_ID } from '../../../src-sandbox/data/sample-users';
import { startSandbox, type Sandbox } from '../../../src-sandbox/start-sandbox';
import { startTokenStore, type RunningTokenStore } from '../../start-token-store';
import { httpsJson } from '../../test/https-client';
import { CONSOLE_CSP } from '../admin-console';
import { ConsoleBrowser } from './console-browser';
import { DirectoryRepository } from '../../directory/directory-repository';
import { SyncRunRepository } from '../../directory/sync-run-repository';

/** Page text with runs of whitespace as one space (templates are formatted across lines). */
const flat = (text: string) => text.replace(/\s+/g, ' ');
const OPS_GROUP_ID = '5a1e5000-0000-4000-8000-0000000000ff';

// The console end to end over HTTP, signing in through the sandbox's Entra ID as a browser would.
describe('admin console', () => {
  let sandbox: Sandbox;
  let store: RunningTokenStore;
  /** What "Sync now" asked for, by tenant. */
  const syncs: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'ws-console-'));
  const person = (upnStart: string) => {
    const found = sandbox.users.find((user) => user.upn.startsWith(upnStart));
    if (!found) throw new Error(upnStart);
    return found;
  };
  const api = async (
    upnStart: string,
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ) =>
    httpsJson(`${store.url}${path}`, {
      method,
      ca: sandbox.tls.caCert,
      body: init.body,
      headers: {
        authorization: `Bearer ${await sandbox.mintAccessToken({ user: person(upnStart), scope: TOKENSTORE_SCOPE })}`,
        ...init.headers,
      },
    });
  const auditOf = async () =>
    (
      (await api('adele', 'GET', '/v1/admin/audit?limit=500')).body as {
        entries: {
          action: string;
          actorId: string;
          outcome: number;
          detail?: { before: unknown; after: unknown };
        }[];
      }
    ).entries;

  /** Plays the whole sign-in: the console's redirect, Entra's consent page as `upnStart`, the callback. */
  const signIn = async (browser: ConsoleBrowser, upnStart: string) => {
    const start = await browser.get(`${store.url}/admin/integrations`);
    expect(start.status).toBe(302);
    expect(start.headers.location).toBe('/admin/sign-in?return=%2Fadmin%2Fintegrations');
    const toEntra = await browser.get(`${store.url}${String(start.headers.location)}`);
    expect(toEntra.status).toBe(302);
    const signInCookie = browser.lastSetCookies.find((line) =>
      line.startsWith('__Host-ws-admin-sign-in='),
    );
    expect(signInCookie).toMatch(/; Path=\/; Secure; HttpOnly; SameSite=Lax; Max-Age=600$/);
    const authorize = new URL(String(toEntra.headers.location));
    expect(authorize.searchParams.get('client_id')).toBe(ADMIN_CONSOLE_CLIENT_ID);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${store.url}/admin/auth/callback`);
    const consent = await browser.get(authorize.toString());
    const requestId = /name="request" value="([^"]+)"/.exec(consent.text)?.[1] ?? '';
    const answer = await browser.post(`${sandbox.entra.authority()}/oauth2/v2.0/authorize`, {
      request: requestId,
      user: person(upnStart).oid,
      decision: 'accept',
    });
    expect(answer.status).toBe(302);
    return browser.get(String(answer.headers.location));
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
    store = await startTokenStore({
      tls: { cert: sandbox.tls.serverCert, key: sandbox.tls.serverKey },
      sqlitePath: join(dir, 'store.sqlite'),
      auth: {
        audience: TOKENSTORE_APP_ID,
        issuerTemplate: `${sandbox.entra.origin}/{tenantid}/v2.0`,
        jwksUri: sandbox.entra.jwksUri,
        allowedTenants: [DEMO_TENANT_ID, DEMO_OTHER_TENANT_ID],
        allowedClients: [WORKSTATION_CLIENT_ID],
        requiredScope: TOKENSTORE_SCOPE_NAME,
        adminRole: TOKENSTORE_ADMIN_ROLE,
        jwksCa: sandbox.tls.caCert,
      },
      extraOrigins: [...sandbox.dataverse.orgUrls],
      adminConsole: {
        clientId: ADMIN_CONSOLE_CLIENT_ID,
        authority: sandbox.entra.authority(),
        scope: TOKENSTORE_SCOPE,
        ca: sandbox.tls.caCert,
        // "Sync now" records a run in the directory sync's tables, as its service does.
        startSync: async (tid) => {
          syncs.push(tid);
          const runs = new SyncRunRepository(store.db);
          const id = await runs.startRun(
            tid,
            { kind: 'full', trigger: 'manual', holder: 'test' },
            Date.now(),
          );
          await runs.finishRun(
            id,
            { status: 'succeeded', created: 5, updated: 0, deactivated: 0, requests: 3 },
            Date.now(),
          );
          return { started: true, runId: id };
        },
      },
      logger: false,
    });
    sandbox.entra.addRedirectUri(ADMIN_CONSOLE_CLIENT_ID, `${store.url}/admin/auth/callback`);
    // The directory as a sync leaves it: the demo tenant's people, its two groups, and a group
    // whose name is markup.
    const directory = new DirectoryRepository(store.db, [sandbox.dataverse.orgUrl]);
    const people = sandbox.users.filter((user) => user.tenantId === DEMO_TENANT_ID);
    await directory.applyUsers(
      DEMO_TENANT_ID,
      people.map((user) => ({
        systemUserId: `5y5-${user.oid}`,
        objectId: user.oid,
        fullName: user.displayName,
        email: user.upn,
        domainName: user.upn,
        title: null,
        businessUnitId: null,
        isDisabled: false,
      })),
      'pass-1',
      Date.now(),
    );
    await directory.applyTeams(
      DEMO_TENANT_ID,
      [
        { teamId: 'team-sales', name: 'Sales', objectId: SALES_GROUP_ID, teamType: 2 },
        { teamId: 'team-support', name: 'Support', objectId: SUPPORT_GROUP_ID, teamType: 2 },
        {
          teamId: 'team-ops',
          name: '<script>alert(1)</script> Ops',
          objectId: OPS_GROUP_ID,
          teamType: 2,
        },
      ],
      'pass-1',
      Date.now(),
    );
    await directory.applyMemberships(
      DEMO_TENANT_ID,
      people.flatMap((user) =>
        user.groups.map((group) => ({
          teamId: group === SALES_GROUP_ID ? 'team-sales' : 'team-support',
          systemUserId: `5y5-${user.oid}`,
        })),
      ),
      'pass-1',
    );
  });
  afterAll(async () => {
    await store?.stop();
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs an admin in with PKCE into a Strict, HttpOnly, __Host- session, under a CSP without script', async () => {
    const browser = new ConsoleBrowser(sandbox.tls.caCert);
    const callback = await signIn(browser, 'adele');
    expect(callback.status).toBe(200);
    expect(callback.headers.refresh).toBe('0; url=/admin/integrations');
    const session = browser.lastSetCookies.find((line) =>
      line.startsWith('__Host-ws-admin-session='),
    );
    expect(session).toMatch(
      /^__Host-ws-admin-session=[\w-]{43}; Path=\/; Secure; HttpOnly; SameSite=Strict$/,
    );
    const page = await browser.get(`${store.url}/admin/integrations`);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(page.text).not.toMatch(/<script/i);
    expect(page.text).toContain('Adele Vance (admin)');
    for (const name of ['Dynamics 365', 'Salesforce', 'Outlook calendar'])
      expect(page.text).toContain(name);
    const entries = await auditOf();
    expect(entries.find((entry) => entry.action === 'admin.console.sign-in')).toMatchObject({
      actorId: person('adele').oid,
      outcome: 200,
    });
  });

  it('refuses someone without the Workstation.Admin role, and a callback it did not start', async () => {
    const browser = new ConsoleBrowser(sandbox.tls.caCert);
    const refused = await signIn(browser, 'alex');
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Not an administrator');
    expect(browser.cookies(store.url).has('__Host-ws-admin-session')).toBe(false);
    expect((await browser.get(`${store.url}/admin/integrations`)).status).toBe(302);
    expect(
      (await auditOf()).some(
        (entry) =>
          entry.action === 'admin.console.sign-in' &&
          entry.actorId === person('alex').oid &&
          entry.outcome === 403,
      ),
    ).toBe(true);
    // A forged callback: no sign-in cookie, or a state of another sign-in.
    expect(
      (
        await new ConsoleBrowser(sandbox.tls.caCert).get(
          `${store.url}/admin/auth/callback?code=x&state=y`,
        )
      ).status,
    ).toBe(400);
  });

  it('enables Dynamics for a group found by name; only its members are admitted, and the audit has before and after', async () => {
    const browser = new ConsoleBrowser(sandbox.tls.caCert);
    await signIn(browser, 'adele');
    const form = await browser.get(`${store.url}/admin/integrations/dynamics`);
    const csrf = ConsoleBrowser.csrfOf(form);
    const searched = await browser.post(`${store.url}/admin/integrations/dynamics`, {
      _csrf: csrf,
      enabled: 'on',
      audience: 'groups',
      find: 'sal',
      intent: 'search',
      's.orgs.0.url': sandbox.dataverse.orgUrl,
      's.orgs.0.label': 'contoso',
    });
    expect(searched.status).toBe(200);
    expect(searched.text).toMatch(new RegExp(`name="group"\\s+value="${SALES_GROUP_ID}"`));
    expect(searched.text).not.toContain(SUPPORT_GROUP_ID);
    // The draft survives the search.
    expect(searched.text).toContain(`value="${sandbox.dataverse.orgUrl}"`);
    const saved = await browser.post(`${store.url}/admin/integrations/dynamics`, {
      _csrf: csrf,
      enabled: 'on',
      audience: 'groups',
      group: SALES_GROUP_ID,
      intent: 'save',
      's.orgs.0.url': sandbox.dataverse.orgUrl,
      's.orgs.0.label': 'contoso',
    });
    expect(saved.status).toBe(303);
    const list = await browser.get(`${store.url}${String(saved.headers.location)}`);
    expect(list.text).toContain('Dynamics 365 saved.');
    expect(list.text).toContain('Groups: Sales');
    const enabledFor = async (upnStart: string) =>
      (
        (await api(upnStart, 'GET', '/v1/me/integrations')).body as {
          integrations: { id: string }[];
        }
      ).integrations.map((entry) => entry.id);
    expect(await enabledFor('alex')).toContain('dynamics');
    expect(await enabledFor('sean')).not.toContain('dynamics');
    const set = (await auditOf()).find((entry) => entry.action === 'admin.integration.set');
    expect(set?.detail).toEqual({
      before: null,
      after: {
        enabled: true,
        audience: { kind: 'groups', groups: [SALES_GROUP_ID] },
        settings: { orgs: [{ url: sandbox.dataverse.orgUrl, label: 'contoso' }] },
      },
    });
  });

  it('shows settings problems from the integration schema and saves nothing', async () => {
    const browser = new ConsoleBrowser(sandbox.tls.caCert);
    await signIn(browser, 'adele');
    const csrf = ConsoleBrowser.csrfOf(
      await browser.get(`${store.url}/admin/integrations/dynamics`),
    );
    const refused = await browser.post(`${store.url}/admin/integrations/dynamics`, {
      _csrf: csrf,
      enabled: 'on',
      audience: 'all',
      intent: 'save',
      's.orgs.0.url': 'https://evil.example.com',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('The org URL https://evil.example.com is not accepted');
    const stored = (await api('adele', 'GET', '/v1/admin/integrations')).body as {
      integrations: { id: string; audience: { kind: string } }[];
    };
    expect(stored.integrations.find((entry) => entry.id === 'dynamics')?.audience.kind).toBe(
      'groups',
    );
  });

  it('refuses state-changing requests without the session’s CSRF token or from another origin', async () => {
    const browser = new ConsoleBrowser(sandbox.tls.caCert);
    await signIn(browser, 'adele');
    const csrf = ConsoleBrowser.csrfOf(await browser.get(`${store.url}/admin/integrations`));
    expect(csrf).toMatch(/^[\w-]{43}$/);
    const without = await browser.post(`${store.url}/admin/integrations/dynamics/disable`, {});
    const wrong = await browser.post(`${store.url}/admin/integrations/dynamics/disable`, {
      _csrf: `${csrf.slice(1)}x`,
    });
    const foreign = await browser.post(
      `${store.url}/admin/integrations/dynamics/disable`,
      { _csrf: csrf },
      { origin: 'https://evil.example.com' },
    );
    // A browser's form post names the origin; pages are same-origin so it is not `null`.
    const unnamed = await browser.post(
      `${store.url}/admin/integrations/dynamics/disable`,
      { _csrf: csrf },
      { origin: 'null' },
    );
    expect([without.status, wrong.status, foreign.status, unnamed.status]).toEqual([
      403, 403, 403, 403,
    ]);
    expect((await browser.get(`${store.url}/admin/integrations`)).headers['referrer-policy']).toBe(
      'same-origin',
    );
    const stored = (await api('adele', 'GET', '/v1/admin/integrations')).body as {
      integrations: { id: string; enabled: boolean }[];
    };
    expect(stored.integrations.find((entry) => entry.id === 'dynamics')?.enabled).toBe(true);
    // Another admin's session token is not this one's.
    const other = new ConsoleBrowser(sandbox.tls.caCert);
    await signIn(other, 'adele');
    expect(
      (await other.post(`${store.url}/admin/integrations/dynamics/disable`, { _csrf: csrf }))
        .status,
    ).toBe(403);
  });

  it('escapes directory text: a group named with markup is shown as text', async () => {
    const browser = new ConsoleBrowser(sandbox.tls.caCert);
    await signIn(browser, 'adele');
    const csrf = ConsoleBrowser.csrfOf(
      await browser.get(`${store.url}/admin/integrations/outlook`),
    );
    const page = await browser.post(`${store.url}/admin/integrations/outlook`, {
      _csrf: csrf,
      audience: 'groups',
      find: 'ops',
      intent: 'search',
    });
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Ops');
    expect(page.text).not.toContain('<script>');
  });

  it('lists users with what they connected, revokes after a confirmation, and audits it', async () => {
    const enable = await api('adele', 'PUT', '/v1/admin/integrations/dynamics', {
      body: { enabled: true, audience: { kind: 'groups', groups: [SALES_GROUP_ID] }, settings: {} },
    });
    expect(enable.status).toBe(200);
    const write = await api('alex', 'PUT', '/v1/blobs/dynamics/contoso/device-0001', {
      body: { blob: Buffer.from('ciphertext').toString('base64url') },
      headers: { 'if-none-match': '*' },
    });
    expect(write.status).toBe(200);
    const browser = new ConsoleBrowser(sandbox.tls.caCert);
    await signIn(browser, 'adele');
    const users = await browser.get(`${store.url}/admin/users?search=alex`);
    expect(users.text).toContain('Alex Wilber');
    expect(flat(users.text)).toContain('Dynamics 365 (1 connection), last used');
    const confirm = await browser.get(`${store.url}/admin/users/${person('alex').oid}/revoke`);
    expect(confirm.text).toContain('Revoke Alex Wilber’s sign-ins');
    const done = await browser.post(`${store.url}/admin/users/${person('alex').oid}/revoke`, {
      _csrf: ConsoleBrowser.csrfOf(confirm),
      integration: '',
    });
    expect(done.status).toBe(303);
    expect(decodeURIComponent(String(done.headers.location))).toContain(
      'Alex Wilber: 1 stored sign-in deleted.',
    );
    expect((await api('alex', 'GET', '/v1/blobs/dynamics/contoso/device-0001')).status).toBe(404);
    expect((await auditOf()).find((entry) => entry.action === 'admin.user.revoke')?.detail).toEqual(
      {
        before: { connected: [{ integration: 'dynamics', connections: 1 }] },
        after: { connected: [], deletedBlobs: 1 },
      },
    );
  });

  it('filters the audit by a user named, and exports it as CSV with formulas defused', async () => {
    const browser = new ConsoleBrowser(sandbox.tls.caCert);
    await signIn(browser, 'adele');
    const page = await browser.get(`${store.url}/admin/audit?user=Alex&action=admin.user.revoke`);
    expect(page.status).toBe(200);
    const rows = flat(page.text).split('<tr>').slice(2);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('admin.user.revoke');
    expect(rows[0]).toContain('Alex Wilber');
    const csv = await browser.get(`${store.url}/admin/audit.csv?action=admin.integration.set`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain('attachment');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toContain('"before/after"');
    expect(lines.slice(1).every((line) => line.includes('"admin.integration.set"'))).toBe(true);
    expect(lines.slice(1).some((line) => line.includes('"Adele Vance (admin)"'))).toBe(true);
  });

  it('starts a sync and shows the run; signs out so the old cookie opens nothing', async () => {
    const browser = new ConsoleBrowser(sandbox.tls.caCert);
    await signIn(browser, 'adele');
    const page = await browser.get(`${store.url}/admin/directory`);
    const csrf = ConsoleBrowser.csrfOf(page);
    const refused = await browser.post(`${store.url}/admin/directory/settings`, {
      _csrf: csrf,
      enabled: 'on',
      orgUrl: 'https://evil.example.com',
      tenantId: DEMO_TENANT_ID,
      clientId: ADMIN_CONSOLE_CLIENT_ID,
      credential: 'secret',
      'secret.from': 'env',
      'secret.name': 'TOKENSTORE_DIRECTORY_SECRET',
    });
    expect(refused.status).toBe(400);
    expect(flat(refused.text)).toContain(
      'orgUrl: The org URL https://evil.example.com is not accepted',
    );
    // What was typed is shown again.
    expect(refused.text).toContain('value="TOKENSTORE_DIRECTORY_SECRET"');
    const saved = await browser.post(`${store.url}/admin/directory/settings`, {
      _csrf: csrf,
      enabled: 'on',
      orgUrl: sandbox.dataverse.orgUrl,
      tenantId: DEMO_TENANT_ID,
      clientId: ADMIN_CONSOLE_CLIENT_ID,
      credential: 'secret',
      'secret.from': 'env',
      'secret.name': 'TOKENSTORE_DIRECTORY_SECRET',
      everyHours: '24',
    });
    expect(saved.status).toBe(303);
    // Saving another org forgets where the last org's change tracking had got to.
    const runs = new SyncRunRepository(store.db);
    await runs.saveState(DEMO_TENANT_ID, { deltaLink: 'https://old.example/delta' }, Date.now());
    const moved = await browser.post(`${store.url}/admin/directory/settings`, {
      _csrf: csrf,
      enabled: 'on',
      orgUrl: sandbox.dataverse.orgUrls[1] ?? '',
      tenantId: DEMO_TENANT_ID,
      clientId: ADMIN_CONSOLE_CLIENT_ID,
      credential: 'secret',
      'secret.from': 'env',
      'secret.name': 'TOKENSTORE_DIRECTORY_SECRET',
      everyHours: '24',
    });
    expect(moved.status).toBe(303);
    expect((await runs.state(DEMO_TENANT_ID)).deltaLink).toBeNull();
    const synced = await browser.post(`${store.url}/admin/directory/sync`, { _csrf: csrf });
    expect(synced.status).toBe(303);
    const after = await browser.get(`${store.url}${String(synced.headers.location)}`);
    expect(after.text).toContain('Sync started.');
    expect(after.text).toMatch(
      /<td>full<\/td>\s*<td>manual<\/td>\s*<td>succeeded<\/td>\s*<td>5<\/td>/,
    );
    const entries = await auditOf();
    expect(entries.map((entry) => entry.action)).toContain('admin.directory.sync');
    expect(
      entries.filter((entry) => entry.action === 'admin.directory.set').at(-1)?.detail,
    ).toMatchObject({
      before: null,
      after: {
        enabled: true,
        everyHours: 24,
        credential: {
          kind: 'secret',
          secret: { from: 'env', name: 'TOKENSTORE_DIRECTORY_SECRET' },
        },
      },
    });
    expect(flat(after.text)).toContain('value="24"');

    const cookie = browser.cookies(store.url).get('__Host-ws-admin-session');
    const out = await browser.post(`${store.url}/admin/sign-out`, { _csrf: csrf });
    expect(out.status).toBe(303);
    expect(browser.cookies(store.url).has('__Host-ws-admin-session')).toBe(false);
    const replay = await httpsJson(`${store.url}/admin/integrations`, {
      ca: sandbox.tls.caCert,
      headers: { cookie: `__Host-ws-admin-session=${cookie ?? ''}` },
    });
    expect(replay.status).toBe(302);
  });

  it('keeps the JSON API on bearer tokens: a console cookie opens no /v1 route', async () => {
    const browser = new ConsoleBrowser(sandbox.tls.caCert);
    await signIn(browser, 'adele');
    const cookie = browser.cookies(store.url).get('__Host-ws-admin-session') ?? '';
    const call = await httpsJson(`${store.url}/v1/admin/integrations`, {
      ca: sandbox.tls.caCert,
      headers: { cookie: `__Host-ws-admin-session=${cookie}` },
    });
    expect(call.status).toBe(401);
    // A console-looking path does not skip the API's token check on the way to an API route.
    for (const path of ['/admin/../v1/admin/integrations', '/admin/%2e%2e/v1/admin/integrations']) {
      const sneaked = await httpsJson(`${store.url}${path}`, {
        ca: sandbox.tls.caCert,
        headers: { cookie: `__Host-ws-admin-session=${cookie}` },
      });
      expect(sneaked.status).not.toBe(200);
      expect(sneaked.text).not.toContain('"integrations"');
    }
  });

  it('audits directory settings saved through the API with before and after too', async () => {
    const body = {
      enabled: false,
      orgUrl: sandbox.dataverse.orgUrl,
      tenantId: DEMO_TENANT_ID,
      clientId: ADMIN_CONSOLE_CLIENT_ID,
      credential: { kind: 'secret', secret: { from: 'env', name: 'TOKENSTORE_DIRECTORY_SECRET' } },
    };
    expect((await api('adele', 'PUT', '/v1/admin/directory/settings', { body })).status).toBe(200);
    expect(
      (
        await api('adele', 'PUT', '/v1/admin/directory/settings', {
          body: { ...body, everyHours: 12 },
        })
      ).status,
    ).toBe(200);
    const latest = (await auditOf()).find((entry) => entry.action === 'admin.directory.set');
    expect(latest?.detail).toMatchObject({
      before: { enabled: false, everyHours: 168 },
      after: { enabled: false, everyHours: 12 },
    });
  });
});
