import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PublicClientApplication } from '@azure/msal-node';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENSTORE_SCOPE, WORKSTATION_CLIENT_ID } from '../src-shared/demo-tenant';
import { createCaNetworkClient } from '../src-sandbox/test-support/ca-network-client';
import { completeConsent } from '../src-sandbox/test-support/consent-driver';
import { sandboxFetch } from '../src-sandbox/test-support/sandbox-fetch';
import { artifactPath } from './support/artifacts';
import { launchChromium } from './support/chromium';
import { startDemoTenant, type DemoTenant } from './support/demo-tenant-process';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';
const ADELE = 'adele.vance@contoso-sample.onmicrosoft.com';
const DYNAMICS = 'Dynamics 365 · contoso';

// Honest states in the launcher at its real size (760x520): a source that is busy, failed, was
// turned off or searched a trimmed query says so in a row of its own; an admin's change reaches the
// running app within seconds; a Connect can be cancelled and the browser tab says what happened;
// offline the last tasks stay with their age; the demo shows its parts.
describe('honest states at 760x520', () => {
  const root = mkdtempSync(join(tmpdir(), 'ws-e2e-states-'));
  let demo: DemoTenant;
  let host: WebHostProcess;
  let browser: Browser;
  let page: Page;
  let ca = '';
  let adminToken = '';
  let dynamicsSettings: unknown;

  const faults = async (path: string, body: unknown) => {
    const response = await sandboxFetch(`${demo.adminUrl}${path}`, {
      ca,
      method: 'POST',
      body,
    });
    expect(response.status).toBe(200);
  };
  const store = async (method: string, path: string, body?: unknown) =>
    sandboxFetch(`${demo.tokenStoreUrl}${path}`, {
      ca,
      method,
      token: adminToken,
      ...(body === undefined ? {} : { body }),
    });
  const card = (name: string) => page.getByRole('listitem', { name, exact: true });
  const rows = () => page.getByRole('list', { name: 'Sources' });
  const search = async (text: string) => {
    const box = page.getByRole('combobox', { name: 'Search' });
    await box.fill('');
    await box.fill(text);
  };
  const consentVia = async (button: Locator) => {
    const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
    await popup.waitForURL(/\/oauth2\/v2\.0\/authorize/, { timeout: 30_000 });
    await popup.getByRole('radio', { name: 'Alex Wilber' }).check();
    await popup.getByRole('button', { name: 'Accept' }).click();
    await popup.waitForLoadState('load');
    return popup;
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
    page = await browser.newPage({ viewport: { width: 760, height: 520 } });
    // The demo admin, as an administrator would call the token store's admin API.
    const described = JSON.parse(demo.json) as { authority: string; knownAuthority: string };
    const admin = new PublicClientApplication({
      auth: {
        clientId: WORKSTATION_CLIENT_ID,
        authority: described.authority,
        knownAuthorities: [described.knownAuthority],
      },
      system: { protocolMode: 'OIDC', networkClient: createCaNetworkClient(ca) },
    });
    adminToken = (
      await admin.acquireTokenInteractive({
        scopes: [TOKENSTORE_SCOPE],
        openBrowser: (url) => completeConsent(url, { user: ADELE, ca }),
        successTemplate: 'done',
        errorTemplate: 'failed',
      })
    ).accessToken;
    const listed = (await store('GET', '/v1/admin/integrations')).json<{
      integrations: { id: string; settings: unknown }[];
    }>();
    dynamicsSettings = listed.integrations.find((item) => item.id === 'dynamics')?.settings;
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await demo?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('prints the sandbox admin URL and CA path beside the app address', () => {
    const output = host.output();
    expect(output).toContain('Workstation is running at');
    expect(output).toContain(`Sandbox admin (faults, counters): ${demo.adminUrl}`);
    expect(output).toContain(`CA certificate:                   ${demo.caPath}`);
  });

  it('signs in and connects Dynamics 365 · contoso', async () => {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    await consentVia(page.getByRole('button', { name: 'Sign in' }));
    await page.getByText(`Signed in as ${ALEX}`).waitFor({ timeout: 30_000 });
    const dynamics = card('Dynamics 365');
    await dynamics
      .getByRole('combobox', { name: 'Dynamics 365 connection' })
      .selectOption({ label: 'contoso' });
    await consentVia(dynamics.getByRole('button', { name: 'Connect', exact: true }));
    await card(DYNAMICS).getByText(`Connected as ${ALEX}`).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Back to search' }).click();
  });

  it('says "No results" only when every source answered, and a failed source is a row with Retry', async () => {
    await search('zzqqxx');
    await page.getByText('No results for “zzqqxx”.').waitFor({ timeout: 30_000 });
    await faults('/faults/search', { errorRate: 1 });
    await faults('/faults/dataverse', { errorRate: 1 });
    await search('nothingmatches');
    const failed = rows().getByRole('listitem').filter({ hasText: DYNAMICS });
    await failed.waitFor({ timeout: 30_000 });
    await failed.getByRole('button', { name: 'Retry' }).waitFor();
    await expect(page.getByText('No results for “nothingmatches”.').count()).resolves.toBe(0);
    await page.getByText(/No source could answer|Nothing found/).waitFor();
    await page.screenshot({ path: artifactPath('states-failed-row.png') });
    await faults('/faults/reset', {});
    await failed.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('No results for “nothingmatches”.').waitFor({ timeout: 30_000 });
  });

  it('asks a busy source again by itself at its Retry-After and says when', async () => {
    await faults('/faults/search', { throttleRetryAfterSec: 4 });
    await faults('/faults/dataverse', { throttleRetryAfterSec: 4 });
    await search('renewal');
    const busy = rows()
      .getByRole('listitem')
      .filter({ hasText: 'Workstation asks again by itself at' });
    await busy.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: artifactPath('states-busy-row.png') });
    await faults('/faults/reset', {});
    // No click: the retry comes by itself within 10 s and the results replace the row.
    await page.getByRole('option').first().waitFor({ timeout: 10_000 });
    await expect.poll(() => busy.count(), { timeout: 10_000 }).toBe(0);
  });

  it('trims an over-long query to what Dynamics accepts and says so', async () => {
    await search(`renewal ${'quarterly review notes '.repeat(7)}`.slice(0, 150));
    await rows()
      .getByText(/accepts searches of up to 100 characters/)
      .waitFor({ timeout: 30_000 });
    await expect(page.getByText('Dynamics 365 refused the search.').count()).resolves.toBe(0);
    await page.screenshot({ path: artifactPath('states-trimmed.png') });
  });

  it('opens a sandbox record link as an HTML record page', async () => {
    await search('renewal');
    await page.getByRole('option').first().waitFor({ timeout: 30_000 });
    const [record] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('combobox', { name: 'Search' }).press('Enter'),
    ]);
    await record.waitForLoadState('load');
    await record.getByRole('heading', { level: 1 }).waitFor();
    await expect(record.content()).resolves.toContain('Sandbox stand-in for the Dynamics 365');
    await record.screenshot({ path: artifactPath('states-record-page.png') });
    await record.close();
  });

  it('keeps the last tasks with their age when Dynamics cannot be reached', async () => {
    await search('');
    // The empty box lists open tasks in sections named for them ("Overdue tasks", ...).
    const tasks = page.getByRole('group', { name: /tasks/i }).getByRole('option');
    await expect.poll(() => tasks.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const before = await tasks.count();
    await faults('/faults/dataverse', { errorRate: 1 });
    // A refresh of the widget (the page becoming visible again), as after a laptop wakes up.
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.getByText(/Showing tasks as of \d{1,2}:\d{2}/).waitFor({ timeout: 30_000 });
    await expect(tasks.count()).resolves.toBe(before);
    await page.screenshot({ path: artifactPath('states-offline-tasks.png') });
    await faults('/faults/reset', {});
  });

  it("reflects an admin's disable within 10 s: the row, the widget and the card stop offering Connect", async () => {
    const disabled = await store('DELETE', '/v1/admin/integrations/dynamics');
    expect(disabled.status).toBe(200);
    const started = Date.now();
    await page
      .getByText(
        /Your organisation has turned off Dynamics 365 for you, so Workstation cannot show your tasks/,
      )
      .waitFor({ timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    await search('renewal');
    await rows()
      .getByRole('listitem')
      .filter({ hasText: 'Your organisation has turned off Dynamics 365 for you.' })
      .waitFor({ timeout: 10_000 });
    await expect(page.getByText(/Placeholder|sample data/).count()).resolves.toBe(0);
    await page.screenshot({ path: artifactPath('states-turned-off.png') });
    await page.getByRole('button', { name: 'Settings' }).click();
    const dynamics = card('Dynamics 365');
    await dynamics.getByText(/not enabled Dynamics 365 for you/).waitFor({ timeout: 10_000 });
    await expect(dynamics.getByRole('button', { name: /Connect/ }).count()).resolves.toBe(0);
    await page.screenshot({ path: artifactPath('states-card-not-available.png') });
    const enabled = await store('PUT', '/v1/admin/integrations/dynamics', {
      enabled: true,
      audience: { kind: 'all' },
      settings: dynamicsSettings,
    });
    expect(enabled.status).toBe(200);
  });

  it('asks to Reconnect a connection whose sign-in the admin removed, never answering with sample data', async () => {
    // Disabling deleted the stored sign-in; re-enabled, the connection must sign in again.
    await page.getByRole('button', { name: 'Back to search' }).click();
    await search('');
    // The widget hears the re-enable (next poll) and stops saying it is turned off.
    await expect
      .poll(() => page.getByText(/has turned off Dynamics 365/).count(), { timeout: 10_000 })
      .toBe(0);
    await search('renewal');
    const row = rows().getByRole('listitem').filter({ hasText: DYNAMICS });
    await row.getByRole('button', { name: 'Reconnect' }).waitFor({ timeout: 15_000 });
    await expect(page.getByText(/placeholder/i).count()).resolves.toBe(0);
    await page.screenshot({ path: artifactPath('states-reconnect-row.png') });
    await row.getByRole('button', { name: 'Reconnect' }).click();
    await card(DYNAMICS).waitFor();
  });

  it('lets a pending Connect be cancelled, also after a reload', async () => {
    const outlook = card('Outlook calendar');
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      outlook.getByRole('button', { name: 'Connect', exact: true }).click({ timeout: 30_000 }),
    ]);
    // The user closes the consent tab without answering.
    await popup.close();
    const row = card('Outlook calendar connection');
    await row.getByText('Connecting…').waitFor({ timeout: 10_000 });
    await page.reload();
    await row.getByText('Connecting…').waitFor({ timeout: 10_000 });
    await row.getByText(/Workstation stops waiting at/).waitFor();
    await page.screenshot({ path: artifactPath('states-connecting-cancel.png') });
    await row.getByRole('button', { name: 'Cancel' }).click();
    await row.getByText('Not connected').waitFor({ timeout: 10_000 });
  });

  it('tells the browser tab that admin approval is needed, not that the user is signed in', async () => {
    await faults('/faults/entra', { consentRequired: true });
    const row = card('Outlook calendar connection');
    const popup = await consentVia(row.getByRole('button', { name: 'Reconnect' }));
    await popup
      .getByRole('heading', { name: /needs an administrator's approval first/ })
      .waitFor({ timeout: 30_000 });
    await expect(popup.content()).resolves.not.toContain('You are signed in');
    await popup.screenshot({ path: artifactPath('states-loopback-admin-consent.png') });
    await popup.close();
    await row.getByText('Needs admin consent').waitFor({ timeout: 10_000 });
    await faults('/faults/reset', {});
  });
});

describe('keychain unavailable at 760x520', () => {
  let host: WebHostProcess;
  let browser: Browser;
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('shows a banner on the home view with a link to the fix', async () => {
    // No Secret Service on this session bus: keytar cannot reach a keychain.
    [host, browser] = await Promise.all([
      startWebHostProcess({
        DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
        WORKSTATION_DEMO: 'off',
      }),
      launchChromium([]),
    ]);
    const page = await browser.newPage({ viewport: { width: 760, height: 520 } });
    const answered = Promise.all(
      ['tasks:list', 'meetings:list'].map((method) =>
        page.waitForResponse((response) => response.url().includes(`/api/invoke/${method}`)),
      ),
    );
    await page.goto(host.url);
    const banner = page.getByRole('status', { name: 'Keychain' });
    await banner.getByText(/keychain is not available/).waitFor({ timeout: 30_000 });
    await banner.getByRole('link', { name: 'How to fix it' }).waitFor();
    await answered;
    await page.screenshot({ path: artifactPath('states-keychain-banner.png') });
    // Tasks and meetings both fail for want of a tenant: the status area says so once, not twice.
    const noTenant = page.getByText(/not connected to a Microsoft tenant/);
    await expect(noTenant.count()).resolves.toBe(1);
  });
});
