import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from './support/artifacts';
import { launchChromium } from './support/chromium';
import { startDemoTenant, type DemoTenant } from './support/demo-tenant-process';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';
const JWT = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]+/;
// Salesforce access tokens are opaque session ids: the org id, '!', then the session part.
const SALESFORCE_TOKEN = /00D[A-Za-z0-9]{12,15}![\w.]{20,}/;
const FIVE = [
  'Dynamics 365 · contoso',
  'Dynamics 365 · fabrikam',
  'Salesforce · production',
  'Salesforce · sandbox',
  'Outlook calendar',
];

// The demo admin pinned two Dynamics orgs (contoso, fabrikam) and two Salesforce environments
// (production, sandbox): the user connects all four and Outlook, searches them at once, works on
// tasks from both CRMs, and disconnects one Salesforce environment while the other keeps working.
describe('five connections: two Dynamics orgs, Salesforce production and sandbox, and Outlook', () => {
  const root = mkdtempSync(join(tmpdir(), 'ws-e2e-five-'));
  let demo: DemoTenant;
  let host: WebHostProcess;
  let browser: Browser;
  let page: Page;
  const answers: string[] = []; // every API answer the renderer received
  const events: string[] = []; // every event main sent
  let stream: AbortController | undefined;

  const card = (name: string) => page.getByRole('listitem', { name, exact: true });
  const row = (name: string) => page.getByRole('listitem', { name, exact: true });
  /** Clicks `button`, then plays Alex on the consent page (Entra's or Salesforce's) in the tab that opens. */
  const consentVia = async (button: Locator, kind: 'entra' | 'salesforce') => {
    const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
    if (kind === 'entra') {
      await popup.waitForURL(/\/oauth2\/v2\.0\/authorize/, { timeout: 30_000 });
      await popup.getByRole('radio', { name: 'Alex Wilber' }).check();
      await popup.getByRole('button', { name: 'Accept' }).click();
    } else {
      await popup.waitForURL(/\/services\/oauth2\/authorize/, { timeout: 30_000 });
      await popup.getByRole('radio', { name: /Alex Wilber/ }).check();
      await popup.screenshot({ path: artifactPath('salesforce-consent.png') });
      await popup.getByRole('button', { name: 'Allow' }).click();
    }
    await popup.waitForLoadState('load');
    return popup;
  };
  const connections = (integration: string) => {
    const db = new Database(demo.tokenStoreDb, { readonly: true, fileMustExist: true });
    try {
      return (
        db
          .prepare('SELECT connection_id FROM blobs WHERE integration = ? ORDER BY connection_id')
          .all(integration) as { connection_id: string }[]
      ).map((item) => item.connection_id);
    } finally {
      db.close();
    }
  };
  /** The sources that streamed at least one result for the query the page last sent. */
  const sourcesWithResults = () => {
    const batches = events
      .join('')
      .split('\n\n')
      .filter((block) => block.startsWith('event: search:didReceiveBatch\n'))
      .map(
        (block) =>
          JSON.parse(block.slice(block.indexOf('data: ') + 6)) as {
            status: { label: string };
            results: unknown[];
          },
      );
    return new Set(
      batches.filter((batch) => batch.results.length > 0).map((batch) => batch.status.label),
    );
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
    page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    page.on('response', (response) => {
      if (response.url().includes('/api/invoke/'))
        void response.text().then(
          (text) => answers.push(text),
          () => undefined,
        );
    });
    stream = new AbortController();
    const url = new URL(host.url);
    void fetch(`${url.origin}/api/events`, {
      headers: { authorization: `Bearer ${url.hash.replace('#k=', '')}` },
      signal: stream.signal,
    })
      .then(async (response) => {
        const reader = response.body?.getReader();
        for (;;) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done) return;
          events.push(new TextDecoder().decode(chunk.value));
        }
      })
      .catch(() => undefined);
  });
  afterAll(async () => {
    stream?.abort();
    await browser?.close();
    await host?.stop();
    await demo?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('signs in to Workstation', async () => {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    await consentVia(page.getByRole('button', { name: 'Sign in' }), 'entra');
    await page.getByText(`Signed in as ${ALEX}`).waitFor({ timeout: 30_000 });
  });

  it('connects both Dynamics orgs the admin pinned, one row each', async () => {
    const dynamics = card('Dynamics 365');
    await dynamics
      .getByRole('combobox', { name: 'Dynamics 365 connection' })
      .selectOption({ label: 'contoso' });
    await consentVia(dynamics.getByRole('button', { name: 'Connect', exact: true }), 'entra');
    await row('Dynamics 365 · contoso')
      .getByText(`Connected as ${ALEX}`)
      .waitFor({ timeout: 30_000 });
    // Only fabrikam is left to add.
    const choice = dynamics.getByRole('combobox', { name: 'Dynamics 365 connection' });
    await expect(choice.locator('option').allTextContents()).resolves.toEqual(['fabrikam']);
    await consentVia(
      dynamics.getByRole('button', { name: 'Add connection', exact: true }),
      'entra',
    );
    await row('Dynamics 365 · fabrikam')
      .getByText(`Connected as ${ALEX}`)
      .waitFor({ timeout: 30_000 });
    expect(connections('dynamics')).toHaveLength(2);
  });

  it('connects Salesforce production and sandbox through its own OAuth (PKCE) consent', async () => {
    const salesforce = card('Salesforce');
    await salesforce
      .getByRole('combobox', { name: 'Salesforce connection' })
      .selectOption({ label: 'production' });
    await consentVia(
      salesforce.getByRole('button', { name: 'Connect', exact: true }),
      'salesforce',
    );
    await row('Salesforce · production')
      .getByText(`Connected as ${ALEX}`)
      .waitFor({ timeout: 30_000 });
    await consentVia(
      salesforce.getByRole('button', { name: 'Add connection', exact: true }),
      'salesforce',
    );
    // A sandbox copies production's users with the sandbox's name appended to the username.
    await row('Salesforce · sandbox')
      .getByText(`Connected as ${ALEX}.uat`)
      .waitFor({ timeout: 30_000 });
    expect(connections('salesforce')).toEqual(['production', 'sandbox']);
  });

  it('connects Outlook calendar', async () => {
    await consentVia(
      card('Outlook calendar').getByRole('button', { name: 'Connect', exact: true }),
      'entra',
    );
    await row('Outlook calendar connection')
      .getByText(`Connected as ${ALEX}`)
      .waitFor({ timeout: 30_000 });
    await page.screenshot({ path: artifactPath('settings-five-connections.png'), fullPage: true });
  });

  it('answers one query from all five connections, each chip labelled with its connection', async () => {
    await page.getByRole('button', { name: 'Back to search' }).click();
    await page.getByRole('combobox', { name: 'Search' }).fill('renewal');
    const chips = page.getByRole('list', { name: 'Sources' }).getByRole('listitem');
    await expect
      .poll(async () => (await chips.allTextContents()).map((text) => text.trim()).sort(), {
        timeout: 30_000,
      })
      .toEqual([...FIVE].sort());
    await expect
      .poll(() => [...sourcesWithResults()].sort(), { timeout: 30_000 })
      .toEqual([...FIVE].sort());
    await page.getByRole('option').first().waitFor();
    // Each row names the connection it came from.
    for (const label of FIVE)
      await page.getByRole('option').filter({ hasText: label }).first().waitFor();
    await page.screenshot({ path: artifactPath('results-five-connections.png'), fullPage: true });
  });

  it('lists tasks from both CRMs, labelled, and completes a Salesforce task in the stand-in', async () => {
    await page.getByRole('combobox', { name: 'Search' }).press('Escape');
    const tasks = page.getByRole('group', { name: /tasks/i }).getByRole('option');
    await tasks.first().waitFor({ timeout: 30_000 });
    const labels = async () =>
      (await tasks.locator('.task-source').allTextContents()).map((text) => text.trim());
    // What main last answered for My CRM Tasks (the home list shows the first page of them).
    const lastTaskList = () =>
      answers
        .filter((text) => text.includes('"tasks":['))
        .map(
          (text) =>
            JSON.parse(text) as { value: { tasks: { subject: string; sourceLabel: string }[] } },
        )
        .at(-1)?.value.tasks ?? [];
    const fromProduction = () =>
      lastTaskList().filter((task) => task.sourceLabel === 'Salesforce · production').length;
    await expect
      .poll(() => new Set(lastTaskList().map((task) => task.sourceLabel)), { timeout: 30_000 })
      .toEqual(new Set(FIVE.filter((label) => label !== 'Outlook calendar')));
    // The home list shows a page of tasks: Show more until a production task is listed.
    const showMore = page.getByRole('option', { name: /^Show \d+ more tasks/ });
    await expect
      .poll(
        async () => {
          const listed = await labels();
          if (!listed.includes('Salesforce · production') && (await showMore.count()) > 0)
            await showMore.click();
          return listed;
        },
        { timeout: 30_000 },
      )
      .toContain('Salesforce · production');
    const before = fromProduction();
    const salesforceTask = tasks.filter({ hasText: 'Salesforce · production' }).first();
    // Select it, then Complete from its action panel; the write follows the Undo window.
    await salesforceTask.hover();
    await page.getByRole('combobox', { name: 'Search' }).press('Control+k');
    const [completed] = await Promise.all([
      page.waitForResponse((response) => response.url().includes('/api/invoke/tasks:complete'), {
        timeout: 20_000,
      }),
      page.getByRole('menuitem', { name: 'Complete' }).click(),
    ]);
    expect(await completed.json()).toEqual({ ok: true, value: { completed: true } });
    // Read again from the stand-in: the task is closed there, so it does not come back.
    await page.reload();
    await tasks.first().waitFor({ timeout: 30_000 });
    await expect.poll(fromProduction, { timeout: 30_000 }).toBe(before - 1);
    await page.screenshot({ path: artifactPath('home-tasks-two-crms.png'), fullPage: true });
  });

  it('disconnects Salesforce sandbox: its blob is gone from the store, production keeps answering', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await row('Salesforce · sandbox')
      .getByRole('button', { name: 'Disconnect', exact: true })
      .click();
    await expect.poll(() => row('Salesforce · sandbox').count(), { timeout: 30_000 }).toBe(0);
    expect(connections('salesforce')).toEqual(['production']);
    await row('Salesforce · production').getByText(`Connected as ${ALEX}`).waitFor();
    await page.getByRole('button', { name: 'Back to search' }).click();
    await page.getByRole('combobox', { name: 'Search' }).fill('pilot');
    const chips = page.getByRole('list', { name: 'Sources' }).getByRole('listitem');
    await expect
      .poll(async () => (await chips.allTextContents()).map((text) => text.trim()).sort(), {
        timeout: 30_000,
      })
      .toEqual(FIVE.filter((label) => label !== 'Salesforce · sandbox').sort());
  });

  it('never let a Microsoft or Salesforce token reach the renderer or a log', () => {
    const everything = [...answers, ...events, host.output()].join('\n');
    expect(events.join('')).toContain('search:didReceiveBatch'); // the stream was really read
    expect(everything).not.toMatch(JWT);
    expect(everything).not.toMatch(SALESFORCE_TOKEN);
    // The scope name `refresh_token` may appear (the consent URL asks for it); a value never.
    expect(everything).not.toMatch(/refresh_?token["']?\s*[:=]\s*["']?[\w.!-]{8,}/i);
  });
});
