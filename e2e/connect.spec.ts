import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from './support/artifacts';
import { launchChromium } from './support/chromium';
import { startDemoTenant, type DemoTenant } from './support/demo-tenant-process';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';
const JWT = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]+/;

describe('sign in, connect Dynamics on the demo tenant, restart, disconnect', () => {
  const root = mkdtempSync(join(tmpdir(), 'ws-e2e-connect-'));
  const appData = join(root, 'app');
  let demo: DemoTenant;
  let host: WebHostProcess;
  let browser: Browser;
  let page: Page;
  const seen: string[] = []; // every API answer and event the renderer received
  let events: AbortController | undefined;

  /** Reads the event stream exactly as the page does, recording every event main sends. */
  const recordEvents = () => {
    events?.abort();
    events = new AbortController();
    const url = new URL(host.url);
    const secret = url.hash.replace('#k=', '');
    void fetch(`${url.origin}/api/events`, {
      headers: { authorization: `Bearer ${secret}` },
      signal: events.signal,
    })
      .then(async (response) => {
        const reader = response.body?.getReader();
        for (;;) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done) return;
          seen.push(new TextDecoder().decode(chunk.value));
        }
      })
      .catch(() => undefined);
  };

  const openSettings = async () => {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Integrations', selected: true }).waitFor();
  };
  const startHost = () =>
    startWebHostProcess({ WORKSTATION_DATA_DIR: appData, WORKSTATION_DEMO_STACK: demo.json });
  /** Clicks `button`, then plays the user on the sandbox's consent page in the tab that opens. */
  const consentVia = async (button: ReturnType<Page['getByRole']>) => {
    const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
    await popup.waitForURL(/\/oauth2\/v2\.0\/authorize/, { timeout: 30_000 });
    await popup.getByRole('radio', { name: 'Alex Wilber' }).check();
    await popup.screenshot({ path: artifactPath('consent-page.png') });
    await popup.getByRole('button', { name: 'Accept' }).click();
    await popup.waitForLoadState('load');
  };
  const blobs = () => {
    const db = new Database(demo.tokenStoreDb, { readonly: true, fileMustExist: true });
    try {
      return db
        .prepare("SELECT integration, blob FROM blobs WHERE integration = 'dynamics'")
        .all() as { integration: string; blob: string }[];
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    demo = await startDemoTenant(join(root, 'demo'));
    [host, browser] = await Promise.all([startHost(), launchChromium([demo.serverSpki])]);
    page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    recordEvents();
    page.on('response', (response) => {
      if (response.url().includes('/api/invoke/'))
        void response.text().then(
          (text) => seen.push(text),
          () => undefined,
        );
    });
  });
  afterAll(async () => {
    events?.abort();
    await browser?.close();
    await host?.stop();
    await demo?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('signs in to Workstation through the consent page', async () => {
    await openSettings();
    await consentVia(page.getByRole('button', { name: 'Sign in' }));
    await page.getByText(`Signed in as ${ALEX}`).waitFor({ timeout: 30_000 });
  });

  it('connects Dynamics 365 (org set by the demo admin) and shows who is connected', async () => {
    const card = page.getByRole('listitem', { name: 'Dynamics 365', exact: true });
    await consentVia(card.getByRole('button', { name: 'Connect', exact: true }));
    await card.getByText(`Connected as ${ALEX}`).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: artifactPath('settings-connected.png') });
    const stored = blobs();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.blob).not.toMatch(JWT);
    expect(stored[0]?.blob).not.toContain('RefreshToken');
  });

  it("searches Dynamics live: O'Brien finds the contact, with the source chip", async () => {
    await page.getByRole('button', { name: 'Back to search' }).click();
    const search = page.getByRole('combobox', { name: 'Search' });
    await search.fill("o'brien");
    const contact = page.getByRole('option').filter({ hasText: "O'Brien" }).first();
    await contact.waitFor({ timeout: 30_000 });
    await expect(contact.textContent()).resolves.toMatch(/Contact · /);
    await expect(page.getByRole('list', { name: 'Sources' }).textContent()).resolves.toContain(
      'Dynamics 365',
    );
    await page.screenshot({ path: artifactPath('results-dynamics.png') });
    // Arrow to the second result and back, then Enter: main checks the link, the page opens it.
    await search.press('ArrowDown');
    await search.press('ArrowUp');
    const selected = await page.getByRole('option', { selected: true }).textContent();
    expect(selected).toContain("O'Brien");
    const [opened] = await Promise.all([page.waitForEvent('popup'), search.press('Enter')]);
    await opened.waitForURL(/\/main\.aspx\?/, { timeout: 10_000 }).catch(() => undefined);
    const target = new URL(opened.url());
    expect([
      target.pathname,
      target.searchParams.get('etn'),
      target.searchParams.get('pagetype'),
    ]).toEqual(['/main.aspx', 'contact', 'entityrecord']);
    expect(target.searchParams.get('id')).toMatch(/^[0-9a-f-]{36}$/);
    await opened.close();
    await search.press('Escape');
    await page.getByRole('button', { name: 'Settings' }).click();
  });

  it('connects Outlook calendar too (Graph consent)', async () => {
    const card = page.getByRole('listitem', { name: 'Outlook calendar', exact: true });
    await consentVia(card.getByRole('button', { name: 'Connect', exact: true }));
    await card.getByText(`Connected as ${ALEX}`).waitFor({ timeout: 30_000 });
  });

  it('shows My CRM Tasks and completes one: it leaves the list and stays completed in Dynamics', async () => {
    await page.getByRole('button', { name: 'Back to search' }).click();
    const tasks = page.getByRole('group', { name: /tasks/i }).getByRole('option');
    const openCount = async () =>
      Number(
        /(\d+) open/.exec((await page.getByTestId('open-task-count').textContent()) ?? '')?.[1] ??
          NaN,
      );
    await tasks.first().waitFor({ timeout: 30_000 });
    await expect(tasks.first().textContent()).resolves.toMatch(/Overdue · /); // overdue first
    const before = await openCount();
    expect(before).toBeGreaterThan(1);
    // Select the task, then Ctrl+Enter: it leaves the list at once and is written after the Undo window.
    await tasks.first().hover();
    const [completed] = await Promise.all([
      page.waitForResponse((response) => response.url().includes('/api/invoke/tasks:complete'), {
        timeout: 20_000,
      }),
      page.getByRole('combobox', { name: 'Search' }).press('Control+Enter'),
    ]);
    expect(await completed.json()).toEqual({ ok: true, value: { completed: true } });
    await expect.poll(openCount, { timeout: 10_000 }).toBe(before - 1);
    await page.reload();
    await tasks.first().waitFor({ timeout: 30_000 });
    // Re-read from the sandbox: the task is completed there too.
    await expect.poll(openCount, { timeout: 10_000 }).toBe(before - 1);
  });

  it('shows upcoming meetings with a working Join button', async () => {
    // No machine here reaches Teams: answer its page locally so the popup keeps the URL main approved.
    await page.context().route('https://teams.microsoft.com/**', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<title>Teams (stub)</title>',
      }),
    );
    const meetings = page.getByRole('group', { name: 'Meetings' });
    await meetings.getByRole('option').first().waitFor({ timeout: 30_000 });
    // The footer names the selected meeting's primary action: select meetings until one joins on Teams.
    const join = page.getByRole('button', { name: /^Join on Teams/ });
    for (const option of await meetings.getByRole('option').all()) {
      await option.hover();
      if ((await join.count()) > 0) break;
    }
    await join.waitFor({ timeout: 5_000 });
    await page.screenshot({ path: artifactPath('home-widgets.png') });
    const [opened] = await Promise.all([page.waitForEvent('popup'), join.click()]);
    await opened.waitForURL(/teams\.microsoft\.com/, { timeout: 10_000 }).catch(() => undefined);
    expect(new URL(opened.url()).hostname).toBe('teams.microsoft.com');
    await opened.close();
    const text = await meetings.textContent();
    expect(text).not.toContain('Cancelled');
    expect(text).not.toContain('Declined');
  });

  it('is still connected after the web host restarts (cache from the store, keychain salt)', async () => {
    const before = host.output();
    await host.stop();
    seen.push(before);
    host = await startHost();
    recordEvents();
    await openSettings();
    await page.getByText(`Signed in as ${ALEX}`).waitFor({ timeout: 30_000 });
    await page
      .getByRole('listitem', { name: 'Dynamics 365', exact: true })
      .getByText(`Connected as ${ALEX}`)
      .waitFor({ timeout: 30_000 });
  });

  it('disconnects: the blob is gone from the store', async () => {
    const card = page.getByRole('listitem', { name: 'Dynamics 365', exact: true });
    await card.getByRole('button', { name: 'Disconnect' }).click();
    await card.getByRole('button', { name: 'Connect', exact: true }).waitFor({ timeout: 30_000 });
    expect(await card.getByText(`Connected as ${ALEX}`).count()).toBe(0);
    expect(blobs()).toHaveLength(0);
  });

  it('never let a token or the salt reach the renderer, a log line or the store', () => {
    // The root secret as the keychain holds it (this run's throwaway gnome-keyring).
    const account = JSON.parse(readFileSync(join(appData, 'account.json'), 'utf8')) as {
      tenantId: string;
      oid: string;
    };
    const salt = execFileSync(
      'secret-tool',
      ['lookup', 'service', 'Workstation Dev', 'account', `${account.tenantId}:${account.oid}`],
      { encoding: 'utf8' },
    ).trim();
    expect(Buffer.from(salt, 'base64')).toHaveLength(32);
    const saltForms = [
      salt,
      Buffer.from(salt, 'base64').toString('hex'),
      Buffer.from(salt, 'base64').toString('base64url'),
    ];
    const everything = [...seen, host.output()].join('\n');
    expect(seen.some((text) => text.includes('integrations:didChange'))).toBe(true); // the stream was really read
    expect(everything).not.toMatch(JWT);
    expect(everything).not.toMatch(/refresh_token|RefreshToken/);
    const database = [demo.tokenStoreDb, `${demo.tokenStoreDb}-wal`]
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file, 'latin1'))
      .join('');
    expect(database).not.toMatch(JWT);
    for (const form of saltForms) {
      expect(everything).not.toContain(form);
      expect(database).not.toContain(form);
    }
  });
});
