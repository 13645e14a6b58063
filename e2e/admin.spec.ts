import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from './support/artifacts';
import { launchChromium } from './support/chromium';
import { startDemoTenant, type DemoTenant } from './support/demo-tenant-process';
import { fillDirectorySettings } from './support/directory-settings-form';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const SEAN = 'sean.obrien@contoso-sample.onmicrosoft.com';

// An administrator runs Workstation from the console instead of curl: signs in to /admin through
// Entra ID (the sandbox's), syncs the directory, enables Dynamics for one group chosen by name, and
// finds each step in the audit; a user outside the group finds Dynamics not available in the app.
describe('admin console: sign in, sync the directory, enable Dynamics for one group', () => {
  const root = mkdtempSync(join(tmpdir(), 'ws-e2e-admin-'));
  let demo: DemoTenant;
  let host: WebHostProcess;
  let browser: Browser;
  let admin: BrowserContext;
  let console_: Page;

  const flat = async (page: Page) => (await page.locator('main').innerText()).replace(/\s+/g, ' ');

  beforeAll(async () => {
    demo = await startDemoTenant(join(root, 'demo'));
    [host, browser] = await Promise.all([
      startWebHostProcess({
        WORKSTATION_DATA_DIR: join(root, 'app'),
        WORKSTATION_DEMO_STACK: demo.json,
      }),
      launchChromium([demo.serverSpki]),
    ]);
    admin = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    console_ = await admin.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await demo?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('signs the admin in to /admin through Entra ID into a session the page cannot read', async () => {
    await console_.goto(`${demo.tokenStoreUrl}/admin`);
    await console_.waitForURL(/\/oauth2\/v2\.0\/authorize/, { timeout: 30_000 });
    await expect(console_.title()).resolves.toBeDefined();
    await console_.getByRole('radio', { name: 'Adele Vance (admin)' }).check();
    await console_.getByRole('button', { name: 'Accept' }).click();
    await console_
      .getByRole('heading', { name: 'Integrations', level: 1 })
      .waitFor({ timeout: 30_000 });
    expect(new URL(console_.url()).pathname).toBe('/admin/integrations');
    await expect(
      console_.getByRole('form').or(console_.locator('header')).first().innerText(),
    ).resolves.toContain('Adele Vance (admin)');
    const cookies = await admin.cookies(demo.tokenStoreUrl);
    const session = cookies.find((cookie) => cookie.name === '__Host-ws-admin-session');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    await expect(console_.evaluate(() => document.cookie)).resolves.toBe('');
    await console_.screenshot({ path: artifactPath('admin-integrations.png') });
  });

  it('runs "Sync now" and sees the counts of the run', async () => {
    await console_.getByRole('link', { name: 'Directory sync' }).click();
    await console_.getByRole('heading', { name: 'Directory sync', level: 1 }).waitFor();
    if ((await flat(console_)).includes('Not set up yet')) {
      // The admin sets sync up once: the contoso org, the sync app, its certificate by file name.
      await fillDirectorySettings(console_, demo);
      await console_.getByRole('button', { name: 'Save directory settings' }).click();
      await console_.getByRole('status').getByText('Directory settings saved.').waitFor();
    }
    await console_.getByRole('button', { name: 'Sync now' }).click();
    await console_
      .getByRole('status')
      .getByText(/Sync started\.|A sync is already running\./)
      .waitFor();
    // The run goes on in the store; the page shows it finished once it is.
    let text = '';
    for (let attempt = 0; attempt < 60; attempt += 1) {
      text = await flat(console_);
      if (/\b(succeeded|failed)\b/.test(text)) break;
      await console_.waitForTimeout(500);
      await console_.reload();
    }
    expect(text).toMatch(/\bsucceeded\b/);
    expect(Number(/Active users: (\d+)/.exec(text)?.[1] ?? 0)).toBeGreaterThan(0);
    expect(Number(/Groups: (\d+)/.exec(text)?.[1] ?? 0)).toBeGreaterThan(0);
    await console_.screenshot({ path: artifactPath('admin-directory-sync.png') });
  });

  it('enables Dynamics for the Sales group, found by name in the synced directory', async () => {
    await console_.getByRole('link', { name: 'Integrations' }).click();
    await console_.getByRole('link', { name: 'Configure Dynamics 365' }).click();
    await console_.getByRole('checkbox', { name: 'Enabled' }).check();
    await console_.getByRole('radio', { name: 'Members of the groups chosen below' }).check();
    await console_.getByRole('searchbox', { name: 'Find groups or users' }).fill('Sales');
    await console_.getByRole('button', { name: 'Search the directory' }).click();
    await console_
      .getByRole('group', { name: 'Groups' })
      .getByRole('checkbox', { name: /^Sales/ })
      .check();
    await console_.screenshot({ path: artifactPath('admin-audience-picker.png') });
    await console_.getByRole('button', { name: 'Save Dynamics 365' }).click();
    await console_.getByRole('status').getByText('Dynamics 365 saved.').waitFor();
    const row = console_.getByRole('row', { name: 'Dynamics 365' });
    await expect(row.innerText()).resolves.toMatch(/Enabled\s+Groups: Sales/);
  });

  it('shows a user outside the group that Dynamics is not available', async () => {
    const app = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await app.newPage();
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await popup.waitForURL(/\/oauth2\/v2\.0\/authorize/, { timeout: 30_000 });
    await popup.getByRole('radio', { name: "Seán O'Brien" }).check();
    await popup.getByRole('button', { name: 'Accept' }).click();
    await page.getByText(`Signed in as ${SEAN}`).waitFor({ timeout: 30_000 });
    const dynamics = page.getByRole('listitem', { name: 'Dynamics 365', exact: true });
    // The app's unavailable state: no Connect, and why.
    await dynamics
      .getByText('Your organisation has not enabled Dynamics 365 for you.')
      .waitFor({ timeout: 30_000 });
    await expect(
      dynamics.getByRole('button', { name: 'Connect', exact: true }).count(),
    ).resolves.toBe(0);
    await page.screenshot({ path: artifactPath('admin-not-available.png') });
    await app.close();
  });

  it('shows each step in the audit, by whom, with the change before and after', async () => {
    await console_.getByRole('link', { name: 'Audit' }).click();
    await console_.getByRole('heading', { name: 'Audit', level: 1 }).waitFor();
    const text = await flat(console_);
    for (const action of ['admin.console.sign-in', 'admin.directory.sync', 'admin.integration.set'])
      expect(text).toContain(action);
    await console_.getByRole('combobox', { name: 'Action' }).selectOption('admin.integration.set');
    await console_.getByRole('button', { name: 'Filter' }).click();
    const rows = console_.locator('tbody tr');
    await expect(rows.count()).resolves.toBeGreaterThan(0);
    const latest = (await rows.first().innerText()).replace(/\s+/g, ' ');
    expect(latest).toContain('Adele Vance (admin)');
    expect(latest).toContain('dynamics');
    expect(latest).toMatch(/"kind":"groups"/);
    await console_.screenshot({ path: artifactPath('admin-audit.png') });
    await console_.getByRole('button', { name: 'Sign out' }).click();
    await console_.getByRole('heading', { name: 'Signed out' }).waitFor();
  });
});
