import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT_ID } from '../src-shared/demo-tenant';
import { USER_INACTIVE_MESSAGE } from '../src-shared/tokenstore/directory-api';
import { contosoSample } from '../src-sandbox/data/sample-orgs';
import { sampleUsers } from '../src-sandbox/data/sample-users';
import { sandboxFetch } from '../src-sandbox/test-support/sandbox-fetch';
import { artifactPath } from './support/artifacts';
import { launchChromium } from './support/chromium';
import { startDemoTenant, type DemoTenant } from './support/demo-tenant-process';
import { fillDirectorySettings } from './support/directory-settings-form';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';
const MEGAN = 'megan.bowen@contoso-sample.onmicrosoft.com';
const DYNAMICS = 'Dynamics 365 · contoso';

const person = (upn: string) => {
  const found = sampleUsers.find((user) => user.upn === upn);
  if (!found) throw new Error(`no sample user ${upn}`);
  return found;
};

/**
 * The contoso org's systemuserid of a demo person: the org numbers the demo tenant's people in the
 * order of sample-users.ts (src-sandbox/data/directory-data.ts, peopleSystemUsers).
 */
const systemUserId = (upn: string) => {
  const index = sampleUsers
    .filter((user) => user.tenantId === DEMO_TENANT_ID)
    .findIndex((user) => user.upn === upn);
  return `5e5e0000-${contosoSample.idTag}-4000-8000-${String(index + 1).padStart(12, '0')}`;
};

// Directory sync turns a person off where it matters: an admin disables a connected user in
// Dynamics, the next delta sync ("Sync now") deletes their blobs and the app says Workstation is
// off for them; with Dataverse's webhook registered, a second disabled user loses theirs within
// seconds without anyone pressing Sync now. The console shows each run and each deactivation.
describe('directory sync: a user disabled in Dynamics loses their blobs', () => {
  const root = mkdtempSync(join(tmpdir(), 'ws-e2e-directory-'));
  let demo: DemoTenant;
  let host: WebHostProcess;
  let browser: Browser;
  let admin: BrowserContext;
  let console_: Page;
  let page: Page;
  let ca = '';

  const flat = async (on: Page) => (await on.locator('main').innerText()).replace(/\s+/g, ' ');
  const sandbox = async (method: string, path: string, body?: unknown) => {
    const response = await sandboxFetch(`${demo.adminUrl}${path}`, {
      ca,
      method,
      ...(body === undefined ? {} : { body }),
    });
    expect(response.status, response.text).toBeLessThan(300);
    return response.json();
  };
  /** The store's blob rows for a person, read from its database as the operator could. */
  const blobsOf = (upn: string) => {
    const db = new Database(demo.tokenStoreDb, { readonly: true, fileMustExist: true });
    try {
      return (
        db
          .prepare('SELECT integration FROM blobs WHERE tid = ? AND lower(oid) = ?')
          .all(DEMO_TENANT_ID, person(upn).oid) as { integration: string }[]
      ).map((row) => row.integration);
    } finally {
      db.close();
    }
  };
  const consentAs = async (button: Locator, name: string) => {
    const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
    await popup.waitForURL(/\/oauth2\/v2\.0\/authorize/, { timeout: 30_000 });
    await popup.getByRole('radio', { name }).check();
    await popup.getByRole('button', { name: 'Accept' }).click();
  };
  /**
   * Signs `name` in to the app and connects Dynamics' contoso org: a blob in the store. Each person
   * starts from their own (empty) list of connections, even on a device someone else used.
   */
  const signInAndConnect = async (name: string, upn: string) => {
    await consentAs(page.getByRole('button', { name: 'Sign in' }), name);
    await page.getByText(`Signed in as ${upn}`).waitFor({ timeout: 30_000 });
    const row = page.getByRole('listitem', { name: DYNAMICS, exact: true });
    const dynamics = page.getByRole('listitem', { name: 'Dynamics 365', exact: true });
    await dynamics
      .getByRole('combobox', { name: 'Dynamics 365 connection' })
      .selectOption({ label: 'contoso' });
    await consentAs(dynamics.getByRole('button', { name: 'Connect', exact: true }), name);
    await row.getByText(`Connected as ${upn}`).waitFor({ timeout: 30_000 });
    expect(blobsOf(upn)).toEqual(['dynamics']);
  };
  /** The console's Users page row of a person, as text. */
  const userRow = async (fullName: string) => {
    await console_.goto(`${demo.tokenStoreUrl}/admin/users?search=${encodeURIComponent(fullName)}`);
    return (await console_.getByRole('row', { name: fullName }).innerText()).replace(/\s+/g, ' ');
  };
  /** The Directory sync page's newest run, once it has finished. */
  const newestRun = async (after: number) => {
    let text = '';
    for (let attempt = 0; attempt < 60; attempt += 1) {
      await console_.goto(`${demo.tokenStoreUrl}/admin/directory`);
      const rows = console_.locator('tbody tr');
      if ((await rows.count()) > after) {
        text = (await rows.first().innerText()).replace(/\s+/g, ' ');
        if (/\b(succeeded|failed)\b/.test(text)) return text;
      }
      await console_.waitForTimeout(300);
    }
    return text;
  };
  const runCount = async () => {
    await console_.goto(`${demo.tokenStoreUrl}/admin/directory`);
    return console_.locator('tbody tr[aria-label^="Run "]').count();
  };

  beforeAll(async () => {
    demo = await startDemoTenant(join(root, 'demo'));
    ca = readFileSync(demo.caPath, 'utf8');
    [host, browser] = await Promise.all([
      startWebHostProcess({
        WORKSTATION_DATA_DIR: join(root, 'app'),
        WORKSTATION_DEMO_STACK: demo.json,
      }),
      launchChromium([demo.serverSpki]),
    ]);
    admin = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    console_ = await admin.newPage();
    page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await demo?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('the admin sets directory sync up with a webhook key and runs the first (full) sync', async () => {
    await console_.goto(`${demo.tokenStoreUrl}/admin`);
    await console_.waitForURL(/\/oauth2\/v2\.0\/authorize/, { timeout: 30_000 });
    await console_.getByRole('radio', { name: 'Adele Vance (admin)' }).check();
    await console_.getByRole('button', { name: 'Accept' }).click();
    await console_
      .getByRole('heading', { name: 'Integrations', level: 1 })
      .waitFor({ timeout: 30_000 });
    await console_.getByRole('link', { name: 'Directory sync' }).click();
    await fillDirectorySettings(console_, demo, { webhookKeyFile: 'webhook-key.txt' });
    await console_.getByRole('button', { name: 'Save directory settings' }).click();
    await console_.getByRole('status').getByText('Directory settings saved.').waitFor();
    await console_.getByRole('button', { name: 'Sync now' }).click();
    await console_.getByRole('status').getByText('Sync started.').waitFor();
    const run = await newestRun(0);
    expect(run).toMatch(/\bfull\b.*\bmanual\b.*\bsucceeded\b/);
  });

  it('a user signs in to the app and connects Dynamics: the store holds their blob', async () => {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    await signInAndConnect('Alex Wilber', ALEX);
    await expect(userRow('Alex Wilber')).resolves.toMatch(/Active .*Dynamics 365 \(1 connection\)/);
  });

  it('disabled in Dynamics, the user loses their blob in the next delta sync and the app says Workstation is off', async () => {
    await sandbox('PATCH', `/directory/contoso/users/${systemUserId(ALEX)}`, { isdisabled: true });
    const before = await runCount();
    await console_.getByRole('button', { name: 'Sync now' }).click();
    await console_.getByRole('status').getByText('Sync started.').waitFor();
    const run = await newestRun(before);
    // Kind, trigger, status, created, updated, deactivated.
    expect(run).toMatch(/\bdelta manual succeeded 0 \d+ 1\b/);
    await console_.screenshot({ path: artifactPath('directory-delta-deactivated.png') });
    expect(blobsOf(ALEX)).toEqual([]);
    await expect(userRow('Alex Wilber')).resolves.toMatch(
      /Inactive \(disabled\).*Nothing connected/,
    );
    await console_.screenshot({ path: artifactPath('directory-user-inactive.png') });
    // The app asks the store for its policy every 5 s; the store answers user_inactive.
    // Each card says so in the store's words, with nothing to connect.
    const dynamics = page.getByRole('listitem', { name: 'Dynamics 365', exact: true });
    await dynamics.getByText(USER_INACTIVE_MESSAGE).waitFor({ timeout: 15_000 });
    await expect(dynamics.getByRole('button').count()).resolves.toBe(0);
    await expect(page.getByRole('listitem', { name: DYNAMICS, exact: true }).count()).resolves.toBe(
      0,
    );
    await page.screenshot({ path: artifactPath('directory-app-turned-off.png') });
  });

  it('with the webhook registered, a second disabled user loses their blob within seconds, no Sync now', async () => {
    const key = readFileSync(
      join(JSON.parse(demo.json).directory.secretsDir, 'webhook-key.txt'),
      'utf8',
    ).trim();
    await sandbox('POST', '/directory/contoso/service-endpoints', {
      url: `${demo.tokenStoreUrl}/v1/directory/webhook/${DEMO_TENANT_ID}`,
      auth: { authtype: 'WebhookKey', key },
      messages: ['Update'],
      filteringAttributes: ['isdisabled'],
    });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInAndConnect('Megan Bowen', MEGAN);
    const before = await runCount();
    await sandbox('PATCH', `/directory/contoso/users/${systemUserId(MEGAN)}`, {
      isdisabled: true,
    });
    await expect.poll(() => blobsOf(MEGAN), { timeout: 10_000, interval: 200 }).toEqual([]);
    const deliveries = (await sandbox('GET', '/directory/contoso/webhook-deliveries')) as {
      value: { primaryEntityId: string; status: number; succeeded: boolean }[];
    };
    expect(deliveries.value).toEqual([
      expect.objectContaining({
        primaryEntityId: systemUserId(MEGAN),
        status: 202,
        succeeded: true,
      }),
    ]);
    const run = await newestRun(before);
    expect(run).toMatch(/\bwebhook succeeded 0 \d+ 1\b/);
    await console_.screenshot({ path: artifactPath('directory-webhook-run.png') });
    await expect(userRow('Megan Bowen')).resolves.toMatch(
      /Inactive \(disabled\).*Nothing connected/,
    );
    await page
      .getByRole('listitem', { name: 'Dynamics 365', exact: true })
      .getByText(USER_INACTIVE_MESSAGE)
      .waitFor({ timeout: 15_000 });
    await page.screenshot({ path: artifactPath('directory-app-turned-off-webhook.png') });
  });

  it('the audit page shows the settings, the sync runs and the deactivations', async () => {
    await console_.getByRole('link', { name: 'Audit' }).click();
    await console_.getByRole('heading', { name: 'Audit', level: 1 }).waitFor();
    const text = await flat(console_);
    for (const action of [
      'admin.directory.set',
      'admin.directory.sync',
      'directory.user.deactivated',
    ])
      expect(text).toContain(action);
    await console_
      .getByRole('combobox', { name: 'Action' })
      .selectOption('directory.user.deactivated');
    await console_.getByRole('button', { name: 'Filter' }).click();
    const rows = (await console_.locator('tbody tr').allInnerTexts()).map((row) =>
      row.replace(/\s+/g, ' '),
    );
    // Newest first: Megan by the webhook's run, then Alex by the admin's Sync now.
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/directory-sync directory\.user\.deactivated Megan Bowen 200/);
    expect(rows[1]).toMatch(/directory-sync directory\.user\.deactivated Alex Wilber 200/);
    for (const row of rows) expect(row).toContain('"reason":"disabled"');
    await console_.screenshot({ path: artifactPath('directory-audit.png'), fullPage: true });
  });
});
