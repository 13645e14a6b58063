import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFetch } from '../src-sandbox/test-support/sandbox-fetch';
import { artifactPath } from './support/artifacts';
import { axeViolations } from './support/axe';
import { launchChromium } from './support/chromium';
import { startDemoTenant, type DemoTenant } from './support/demo-tenant-process';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';
// The launcher window's real size (src-main/shell/window-options.ts).
const WINDOW = { width: 760, height: 520 };

// The launcher as a palette at its real window size, driven by the keyboard, checked by axe-core
// in light and dark on every screen: Dynamics 365 and Outlook connected on the demo tenant.
describe('the launcher palette at 760x520', () => {
  const root = mkdtempSync(join(tmpdir(), 'ws-e2e-launcher-'));
  let demo: DemoTenant;
  let host: WebHostProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const invoked: string[] = []; // every method the page called, in order

  /** Turns the sandbox's fault knobs. */
  const admin = async (path: string, body: unknown) => {
    const response = await sandboxFetch(`${demo.adminUrl}${path}`, {
      ca: readFileSync(demo.caPath, 'utf8'),
      method: 'POST',
      body,
    });
    expect(response.status).toBe(200);
  };
  const search = () => page.getByRole('combobox', { name: 'Search' });
  const list = () => page.getByRole('listbox');
  const selectedOption = () => page.getByRole('option', { selected: true });
  const card = (name: string) => page.getByRole('listitem', { name, exact: true });
  const consentVia = async (button: ReturnType<Page['getByRole']>) => {
    const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
    await popup.waitForURL(/\/oauth2\/v2\.0\/authorize/, { timeout: 30_000 });
    await popup.getByRole('radio', { name: 'Alex Wilber' }).check();
    await popup.getByRole('button', { name: 'Accept' }).click();
    await popup.waitForLoadState('load');
    await popup.close();
  };
  /** axe-core in light and in dark (the OS setting, which the default theme follows): no violation. */
  const expectAccessible = async (screen: string) => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await expect
        .poll(() => page.evaluate(() => document.documentElement.dataset.theme))
        .toBe(colorScheme);
      const { violations, passes } = await axeViolations(page);
      expect(passes).toBeGreaterThan(10); // axe really ran its rules on this page
      expect({ screen, colorScheme, violations }).toEqual({ screen, colorScheme, violations: [] });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };
  /** Whether the selected row is inside the list's visible box. */
  const selectedInView = () =>
    page.evaluate(() => {
      const listbox = document.querySelector('[role="listbox"]');
      const option = document.querySelector('[role="option"][aria-selected="true"]');
      if (!listbox || !option) return false;
      const outer = listbox.getBoundingClientRect();
      const inner = option.getBoundingClientRect();
      const footer = document.querySelector('footer')?.getBoundingClientRect();
      return (
        inner.top >= outer.top - 1 &&
        inner.bottom <= outer.bottom + 1 &&
        // ...and the list ends above the footer, which is inside the window.
        footer !== undefined &&
        outer.bottom <= footer.top + 1 &&
        footer.bottom <= window.innerHeight
      );
    });

  beforeAll(async () => {
    demo = await startDemoTenant(join(root, 'demo'));
    [host, browser] = await Promise.all([
      startWebHostProcess({
        WORKSTATION_DATA_DIR: join(root, 'app'),
        WORKSTATION_DEMO_STACK: demo.json,
      }),
      launchChromium([demo.serverSpki]),
    ]);
    context = await browser.newContext({ viewport: WINDOW });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: host.origin,
    });
    page = await context.newPage();
    page.on('request', (request) => {
      const method = /\/api\/invoke\/([\w:]+)/.exec(request.url())?.[1];
      if (method) invoked.push(method);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await demo?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('the axe check can fail: it finds a nameless button planted on the page', async () => {
    await page.goto(host.url);
    await page.evaluate(() => {
      const planted = document.createElement('button');
      planted.id = 'planted';
      document.body.append(planted);
    });
    const { violations } = await axeViolations(page);
    expect(violations.map((violation) => violation.id)).toContain('button-name');
    await page.evaluate(() => document.getElementById('planted')?.remove());
  });

  it('Settings, both tabs and every card state on the way to connected, pass axe', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 30_000 });
    await expectAccessible('settings: signed out');
    await consentVia(page.getByRole('button', { name: 'Sign in' }));
    await page.getByText(`Signed in as ${ALEX}`).waitFor({ timeout: 30_000 });
    await card('Dynamics 365').getByRole('button', { name: 'Connect', exact: true }).waitFor();
    await expectAccessible('settings: signed in, nothing connected');
    // Short-lived access tokens: every use refreshes, so a policy change shows at once (last test).
    await admin('/faults/entra', { accessTokenLifetimeSec: 60 });
    await consentVia(card('Dynamics 365').getByRole('button', { name: 'Connect', exact: true }));
    await card('Dynamics 365').getByText(`Connected as ${ALEX}`).waitFor({ timeout: 30_000 });
    await consentVia(
      card('Outlook calendar').getByRole('button', { name: 'Connect', exact: true }),
    );
    await card('Outlook calendar').getByText(`Connected as ${ALEX}`).waitFor({ timeout: 30_000 });
    await expectAccessible('settings: connected');
    await page.getByRole('tab', { name: 'General' }).click();
    await expectAccessible('settings: general');
    await page.getByRole('button', { name: 'Back to search' }).click();
  });

  it('home fits the window: meetings and tasks are one list, and only the list scrolls', async () => {
    await page.getByRole('group', { name: /tasks/i }).first().waitFor({ timeout: 30_000 });
    await page.getByRole('group', { name: 'Meetings' }).waitFor({ timeout: 30_000 });
    const page_ = await page.evaluate(() => ({
      scroll: document.scrollingElement?.scrollHeight ?? 0,
      height: window.innerHeight,
    }));
    expect(page_.scroll).toBeLessThanOrEqual(page_.height);
    // Combobox semantics: the box controls the list on the page and names the selected row.
    const box = search();
    await expect(box.getAttribute('aria-expanded')).resolves.toBe('true');
    const controls = await box.getAttribute('aria-controls');
    await expect(list().getAttribute('id')).resolves.toBe(controls);
    const active = await box.getAttribute('aria-activedescendant');
    await expect(selectedOption().getAttribute('id')).resolves.toBe(active);
    // Headings are plural words; icons are drawings, not glyphs.
    const headings = await page.locator('.group-heading').allTextContents();
    expect(headings[0]).toBe('Meetings');
    expect(headings.every((heading) => /^[A-Z][a-z]+( [a-z]+)*$/.test(heading))).toBe(true);
    await expect(page.locator('[role="option"] svg[data-icon]').count()).resolves.toBeGreaterThan(
      0,
    );
    // Meetings say when in words: no weekday for today or tomorrow.
    const when = await page
      .getByRole('group', { name: 'Meetings' })
      .locator('.option-meta')
      .allTextContents();
    expect(when.length).toBeGreaterThan(0);
    for (const text of when)
      expect(text).toMatch(
        /^(Now · until \d\d:\d\d|In \d+ min|(Today|Tomorrow) \d\d:\d\d|All day)$/,
      );
    // Down eleven times: the selected row is still on screen, and the page itself has not moved.
    for (let step = 0; step < 11; step += 1) await box.press('ArrowDown');
    await expect(selectedInView()).resolves.toBe(true);
    await expect(page.evaluate(() => window.scrollY)).resolves.toBe(0);
    await expect(selectedOption().getAttribute('id')).resolves.toBe(
      await box.getAttribute('aria-activedescendant'),
    );
    await box.press('ArrowUp');
    await expect(selectedInView()).resolves.toBe(true);
    for (let step = 0; step < 10; step += 1) await box.press('ArrowUp');
    await page.screenshot({ path: artifactPath('launcher-home.png') });
    await expectAccessible('home');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: artifactPath('launcher-home-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('Tab walks Settings and the footer (the list is driven from the box, not a stop), each with a visible focus ring', async () => {
    const box = search();
    await box.focus();
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement as HTMLElement;
        return {
          name: element.getAttribute('aria-label') ?? element.textContent?.trim() ?? '',
          ring: getComputedStyle(element).outlineStyle !== 'none',
        };
      });
    const walk: { name: string; ring: boolean }[] = [];
    for (let step = 0; step < 3; step += 1) {
      await page.keyboard.press('Tab');
      walk.push(await focused());
    }
    expect(walk.map((stop) => stop.name.replace(/(Enter|Ctrl\+K)$/, ''))).toEqual([
      'Settings',
      expect.stringMatching(/^(Join on \w+|Open in \w+.*)$/),
      'Actions',
    ]);
    expect(walk.every((stop) => stop.ring)).toBe(true);
  });

  it('lists every open task with a count and Show more', async () => {
    const count = async () =>
      Number(
        /(\d+) open/.exec((await page.getByTestId('open-task-count').textContent()) ?? '')?.[1],
      );
    const total = await count();
    const tasks = page.getByRole('group', { name: /tasks/i }).getByRole('option');
    const more = page.getByRole('option', { name: /^Show \d+ more tasks/ });
    expect(total).toBeGreaterThan(12);
    while ((await more.count()) > 0) await more.click();
    await expect(tasks.count()).resolves.toBe(total);
    await search().press('End');
    await expect(selectedInView()).resolves.toBe(true);
  });

  it('completes a task with "Completed - Undo": Undo writes nothing, else it is written after 5 s', async () => {
    const box = search();
    const openCount = async () =>
      Number(
        /(\d+) open/.exec((await page.getByTestId('open-task-count').textContent()) ?? '')?.[1],
      );
    const total = await openCount();
    const firstTask = page.getByRole('group', { name: /tasks/i }).getByRole('option').first();
    const subject = (await firstTask.locator('.option-title').textContent()) ?? '';
    await firstTask.hover();
    await box.press('Control+Enter');
    await page
      .getByRole('status')
      .filter({ hasText: `Completed “${subject}”` })
      .waitFor();
    await expect(openCount()).resolves.toBe(total - 1);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(openCount).toBe(total);
    await expect(
      page.getByRole('group', { name: /tasks/i }).getByRole('option').first().textContent(),
    ).resolves.toContain(subject);
    await page.waitForTimeout(6000);
    expect(invoked).not.toContain('tasks:complete');

    await page.getByRole('option', { name: subject }).first().hover();
    const [written] = await Promise.all([
      page.waitForResponse((response) => response.url().includes('/api/invoke/tasks:complete'), {
        timeout: 15_000,
      }),
      box.press('Control+Enter'),
    ]);
    expect(await written.json()).toEqual({ ok: true, value: { completed: true } });
    await expect.poll(openCount).toBe(total - 1);
  });

  it('searches: results grouped under plural headings, the live region counts them', async () => {
    const box = search();
    await box.fill("o'brien");
    await page
      .getByRole('option')
      .filter({ hasText: "O'Brien" })
      .first()
      .waitFor({ timeout: 30_000 });
    await expect(page.locator('.group-heading').first().textContent()).resolves.toMatch(
      /^[A-Z][a-z]+s$/,
    );
    await expect
      .poll(() => page.locator('p[role="status"]').last().textContent(), { timeout: 30_000 })
      .toMatch(/^\d+ results?/);
    await expect(selectedOption().getAttribute('id')).resolves.toBe(
      await box.getAttribute('aria-activedescendant'),
    );
    await page.screenshot({ path: artifactPath('launcher-results.png') });
    await expectAccessible('results');
  });

  it('copies the link with Ctrl+C and says "Copied"', async () => {
    const box = search();
    await box.press('End'); // no text selected in the box
    await box.press('Control+c');
    await page.getByRole('status').filter({ hasText: 'Copied link' }).waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toMatch(
      /^https:\/\/.+\/main\.aspx\?etn=contact&/,
    );
  });

  it('opens the action panel with Ctrl+K: every action with its shortcut, keyboard only', async () => {
    const box = search();
    await box.press('Control+k');
    const menu = page.getByRole('menu', { name: /^Actions for / });
    await menu.waitFor();
    await expect(menu.getByRole('menuitem').allTextContents()).resolves.toEqual([
      'Open in Dynamics 365Enter',
      'Copy linkCtrl+C',
      'EmailCtrl+E',
      'Copy emailCtrl+Shift+C',
      'CallCtrl+D',
      'Copy phoneCtrl+Shift+P',
    ]);
    await expect(page.evaluate(() => document.activeElement?.getAttribute('role'))).resolves.toBe(
      'menuitem',
    );
    await page.screenshot({ path: artifactPath('launcher-action-panel.png') });
    await expectAccessible('action panel');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: artifactPath('launcher-action-panel-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    // Down to Copy email, Enter: the address is on the clipboard, the panel closed, focus back in the box.
    for (let step = 0; step < 3; step += 1) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Copied email' }).waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toMatch(
      /^[^@\s]+@[^@\s]+$/,
    );
    await expect(menu.count()).resolves.toBe(0);
    await expect(box.evaluate((element) => element === document.activeElement)).resolves.toBe(true);

    // Escape closes the panel and keeps the query.
    await box.press('Control+k');
    await menu.waitFor();
    await page.keyboard.press('Escape');
    await expect(menu.count()).resolves.toBe(0);
    await expect(box.inputValue()).resolves.toBe("o'brien");
  });

  it("Email and Call go through main's link guard as mailto: and tel:", async () => {
    const box = search();
    for (const [keys, scheme] of [
      ['Control+e', 'mailto:'],
      ['Control+d', 'tel:'],
    ] as const) {
      const [answer] = await Promise.all([
        page.waitForResponse((response) => response.url().includes('/api/invoke/links:open')),
        box.press(keys),
      ]);
      const body = (await answer.json()) as { ok: boolean; value: { url: string } };
      expect(body.ok).toBe(true);
      expect(body.value.url.startsWith(scheme)).toBe(true);
    }
  });

  it('results in dark mode', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: artifactPath('launcher-results-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('trouble passes axe too: a source in trouble and one needing reconnect are rows with Retry and Reconnect', async () => {
    const box = search();
    const sourceRow = (state: string) =>
      page.getByRole('list', { name: 'Sources' }).getByRole('listitem').filter({ hasText: state });
    await admin('/faults/graph', { errorRate: 1 });
    await box.fill('northwind');
    // Graph answering 503 reads as busy (or failed): a row of its own with Retry.
    await sourceRow('Outlook calendar')
      .getByRole('button', { name: 'Retry' })
      .waitFor({ timeout: 30_000 });
    await page.screenshot({ path: artifactPath('launcher-source-busy.png') });
    await expectAccessible('results with a failed source');
    await admin('/faults/reset', {});

    await admin('/faults/entra', { mfaRequiredFor: ['dataverse'], accessTokenLifetimeSec: 60 });
    await box.fill('fabrikam');
    await sourceRow('needs reconnect')
      .getByRole('button', { name: 'Reconnect' })
      .waitFor({ timeout: 30_000 });
    // Once every source answered, the live region says which one needs reconnecting.
    await expect
      .poll(() => page.locator('p[role="status"]').last().textContent(), { timeout: 30_000 })
      .toMatch(/Dynamics 365 · contoso needs reconnect/);
    await expectAccessible('results with a source needing reconnect');
    await page.getByRole('button', { name: 'Settings' }).click();
    await card('Dynamics 365').getByText('Needs reconnect').waitFor({ timeout: 30_000 });
    await expectAccessible('settings: needs reconnect');
    // Back on an empty box, My CRM Tasks says what is wrong (the list is read again on the way in).
    await page.getByRole('button', { name: 'Back to search' }).click();
    await box.press('Escape');
    await page
      .getByText(/Extra verification needed/)
      .first()
      .waitFor({ timeout: 30_000 });
    await page.screenshot({ path: artifactPath('launcher-home-needs-reconnect.png') });
    await expectAccessible('home with a CRM needing reconnect');
    await page.getByRole('button', { name: 'Reconnect', exact: true }).click();
    await card('Dynamics 365').getByText('Needs reconnect').waitFor();
  });
});
