import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from './support/artifacts';
import { launchChromium } from './support/chromium';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

describe('Settings > General in the browser', () => {
  let host: WebHostProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [host, browser] = await Promise.all([
      startWebHostProcess({ WORKSTATION_DEMO: 'off' }),
      launchChromium(),
    ]);
    page = await browser.newPage({ viewport: { width: 900, height: 640 } });
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'General' }).click();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('captures the shortcut from the keys pressed, says Saved, and keeps it across a reload', async () => {
    const field = page.getByRole('textbox', { name: 'Launcher shortcut' });
    await field.click();
    await expect(field.inputValue()).resolves.toBe('Press the new shortcut…');
    // A bare key is not a shortcut: the field keeps listening and says what it needs.
    await page.keyboard.press('k');
    await expect(page.locator('#shortcut-help').textContent()).resolves.toContain('modifier');
    await page.keyboard.press('Alt+Shift+KeyK');
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await expect(field.inputValue()).resolves.toBe('Alt+Shift+K');
    await page.screenshot({ path: artifactPath('settings-general.png') });

    // Settings stays open across the reload (its #settings fragment).
    await page.reload();
    await page.getByRole('tab', { name: 'General' }).click();
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Launcher shortcut' }).inputValue())
      .toBe('Alt+Shift+K');
  });

  it('Esc cancels without saving; Tab and Shift+Tab move focus instead of becoming the shortcut', async () => {
    const field = page.getByRole('textbox', { name: 'Launcher shortcut' });
    await field.click();
    await page.keyboard.press('Escape');
    await expect(field.inputValue()).resolves.toBe('Alt+Shift+K');
    await field.click();
    await page.keyboard.press('Shift+Tab');
    await expect(field.evaluate((element) => element === document.activeElement)).resolves.toBe(
      false,
    );
    await expect(field.inputValue()).resolves.toBe('Alt+Shift+K');
  });

  it('says that Open at login and reminders belong to the desktop app instead of pretending', async () => {
    const login = page.getByRole('checkbox', { name: 'Open at login' });
    const reminders = page.getByRole('checkbox', { name: /Remind me a minute before meetings/ });
    await expect(login.isDisabled()).resolves.toBe(true);
    await expect(login.isChecked()).resolves.toBe(false);
    await expect(reminders.isDisabled()).resolves.toBe(true);
    await expect(reminders.isChecked()).resolves.toBe(true);
    const text = await page.locator('form.general').textContent();
    expect(text).toContain('Only the desktop app can open when you sign in');
    expect(text).toContain('Reminders are notifications of the desktop app');
  });
});
