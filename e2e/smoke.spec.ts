import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from './support/artifacts';
import { launchChromium } from './support/chromium';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

describe('smoke: the web host serves the launcher end to end', () => {
  let host: WebHostProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // No tenant and no demo: the launcher, the event stream and Settings on their own.
    [host, browser] = await Promise.all([
      startWebHostProcess({ WORKSTATION_DEMO: 'off' }),
      launchChromium(),
    ]);
    page = await browser.newPage({ viewport: { width: 900, height: 640 } });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('refuses a visitor without the access key', async () => {
    const stranger = await browser.newPage();
    await stranger.goto(host.origin);
    await expect(stranger.getByRole('alert').textContent()).resolves.toContain(
      'the address Workstation printed',
    );
    await stranger.close();
  });

  it('takes the key out of the address bar and shows the empty state', async () => {
    await page.goto(host.url);
    await page.getByRole('heading', { name: 'Search your CRM' }).waitFor();
    expect(page.url()).not.toContain('#k=');
    await page.screenshot({ path: artifactPath('home.png') });
  });

  it('streams placeholder results for what the user types', async () => {
    const search = page.getByRole('combobox', { name: 'Search' });
    await expect(search.evaluate((element) => element === document.activeElement)).resolves.toBe(
      true,
    );
    await search.pressSequentially("o'bri", { delay: 30 });
    const option = page.getByRole('option').filter({ hasText: "Seán O'Brien (placeholder)" });
    await option.waitFor();
    await expect(page.getByRole('option').count()).resolves.toBe(1);
    await expect(page.getByRole('list', { name: 'Sources' }).textContent()).resolves.toContain(
      'Placeholder',
    );
    await page.screenshot({ path: artifactPath('results.png') });

    await search.press('Escape');
    await page.getByRole('heading', { name: 'Search your CRM' }).waitFor();
    await expect(search.inputValue()).resolves.toBe('');
  });

  it('opens Settings > Integrations listing every integration', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Integrations', selected: true }).waitFor();
    const cards = page.getByRole('list', { name: 'Integrations' }).getByRole('listitem');
    await cards.first().waitFor();
    await expect(cards.allTextContents()).resolves.toEqual([
      expect.stringContaining('Dynamics 365'),
      expect.stringContaining('Salesforce'),
      expect.stringContaining('Outlook calendar'),
    ]);
    await expect(
      page.getByRole('listitem', { name: 'Dynamics 365', exact: true }).textContent(),
    ).resolves.toContain('Not configured');
    await page.screenshot({ path: artifactPath('settings-integrations.png') });
  });

  it('saves a setting through the contract and keeps it across a reload', async () => {
    await page.getByRole('tab', { name: 'General' }).click();
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.themeSetting))
      .toBe('dark');
    await page.reload();
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.themeSetting))
      .toBe('dark');
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('dark');
  });

  it("follows the OS's light or dark mode when the theme is 'Follow the system'", async () => {
    await page.getByRole('tab', { name: 'General' }).click();
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('system');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.theme))
      .toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.theme))
      .toBe('light');
  });
});
