import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFetch } from '../src-sandbox/test-support/sandbox-fetch';
import { artifactPath } from './support/artifacts';
import { launchChromium } from './support/chromium';
import { startDemoTenant, type DemoTenant } from './support/demo-tenant-process';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';

// Conditional Access starts asking for MFA after Dynamics was connected: the next refresh fails with
// AADSTS50076 and a claims challenge, the card says "Extra verification needed" with Reconnect, and
// Reconnect hands Entra the claims so the new sign-in satisfies the policy.
// https://learn.microsoft.com/entra/identity-platform/claims-challenge
describe('extra verification (Conditional Access MFA) for Dynamics on the demo tenant', () => {
  const root = mkdtempSync(join(tmpdir(), 'ws-e2e-mfa-'));
  let demo: DemoTenant;
  let host: WebHostProcess;
  let browser: Browser;
  let page: Page;
  const answers: string[] = []; // every API answer the renderer received

  const admin = async (path: string, body?: unknown) => {
    const response = await sandboxFetch(`${demo.adminUrl}${path}`, {
      ca: readFileSync(demo.caPath, 'utf8'),
      method: body === undefined ? 'GET' : 'POST',
      body,
    });
    expect(response.status).toBe(200);
    return response.json();
  };
  const dynamicsCard = () => page.getByRole('listitem', { name: 'Dynamics 365', exact: true });
  /** Clicks `button`, then plays the user on the sandbox's consent page in the tab that opens. */
  const consentVia = async (button: ReturnType<Page['getByRole']>) => {
    const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
    await popup.waitForURL(/\/oauth2\/v2\.0\/authorize/, { timeout: 30_000 });
    await popup.getByRole('radio', { name: 'Alex Wilber' }).check();
    await popup.getByRole('button', { name: 'Accept' }).click();
    await popup.waitForLoadState('load');
    return popup;
  };

  beforeAll(async () => {
    demo = await startDemoTenant(join(root, 'demo'));
    [host, browser] = await Promise.all([
      startWebHostProcess({
        WORKSTATION_DATA_DIR: join(root, 'app'),
        WORKSTATION_DEMO_STACK: demo.json,
      }),
      launchChromium([demo.serverSpki]),
    ]);
    page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    page.on('response', (response) => {
      if (response.url().includes('/api/invoke/'))
        void response.text().then(
          (text) => answers.push(text),
          () => undefined,
        );
    });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await demo?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('signs in and connects Dynamics 365 with access tokens MSAL renews on every use', async () => {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    await consentVia(page.getByRole('button', { name: 'Sign in' }));
    await page.getByText(`Signed in as ${ALEX}`).waitFor({ timeout: 30_000 });
    // 60 s is inside MSAL's 5-minute renewal window, so each use of the Dynamics token refreshes it.
    await admin('/faults/entra', { accessTokenLifetimeSec: 60 });
    await consentVia(dynamicsCard().getByRole('button', { name: 'Connect', exact: true }));
    await dynamicsCard().getByText(`Connected as ${ALEX}`).waitFor({ timeout: 30_000 });
  });

  it('shows "Extra verification needed" on My CRM Tasks and on the card, with Reconnect, once the policy asks for MFA', async () => {
    await admin('/faults/entra', { mfaRequiredFor: ['dataverse'] });
    // My CRM Tasks needs a Dynamics token: the refresh meets the claims challenge.
    await page.getByRole('button', { name: 'Back to search' }).click();
    await page.getByText(/Extra verification needed\. .*Dynamics 365/).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Settings' }).click();
    await dynamicsCard().getByText('Needs reconnect').waitFor({ timeout: 30_000 });
    await dynamicsCard()
      .getByText(/^Extra verification needed\. .*Choose Reconnect/)
      .waitFor();
    await dynamicsCard().getByRole('button', { name: 'Reconnect' }).waitFor();
    await page.screenshot({ path: artifactPath('extra-verification.png') });
  });

  it('Reconnect sends the claims challenge to Entra and connects again; tasks load under the policy', async () => {
    const popup = await consentVia(dynamicsCard().getByRole('button', { name: 'Reconnect' }));
    await dynamicsCard().getByText(`Connected as ${ALEX}`).waitFor({ timeout: 30_000 });
    await popup.close();
    const { claims } = (await admin('/entra/authorize-claims')) as { claims: string[] };
    const answered = claims
      .map((text) => JSON.parse(text) as { access_token?: { capolids?: unknown } })
      .filter((request) => request.access_token?.capolids);
    expect(answered).toHaveLength(1);
    expect(answered[0]?.access_token?.capolids).toEqual({
      essential: true,
      values: [expect.stringMatching(/^[0-9a-f-]{36}$/)],
    });

    // The policy is still on: the new sign-in carries MFA, so the refresh behind the tasks works.
    await page.getByRole('button', { name: 'Back to search' }).click();
    await page
      .getByRole('group', { name: /tasks/i })
      .getByRole('option')
      .first()
      .waitFor({ timeout: 30_000 });
    await expect(page.getByText(/Extra verification needed/).count()).resolves.toBe(0);
  });

  it('kept the claims challenge in main: no answer to the renderer carried it', () => {
    expect(answers.some((text) => text.includes('Extra verification needed'))).toBe(true); // the answers were really read
    expect(answers.join('\n')).not.toContain('capolids');
  });
});
