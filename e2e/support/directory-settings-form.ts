import type { Page } from 'playwright-core';
import { DEMO_TENANT_ID, DIRECTORY_SYNC_CLIENT_ID } from '../../src-shared/demo-tenant';
import type { DemoTenant } from './demo-tenant-process';

/**
 * Fills the console's directory sync settings as an admin would for the demo tenant: the contoso
 * org, the sync app, its certificate and key by file name of the secrets folder, and optionally the
 * webhook key's file. Saving is left to the caller.
 */
export async function fillDirectorySettings(
  page: Page,
  demo: DemoTenant,
  options: { webhookKeyFile?: string } = {},
): Promise<void> {
  const { orgUrl, authority } = JSON.parse(demo.json) as { orgUrl: string; authority: string };
  await page.getByRole('textbox', { name: 'Dynamics 365 org URL' }).fill(orgUrl);
  await page.getByRole('textbox', { name: 'Tenant id' }).fill(DEMO_TENANT_ID);
  await page.getByRole('textbox', { name: 'Sync app (client) id' }).fill(DIRECTORY_SYNC_CLIENT_ID);
  await page.getByRole('textbox', { name: 'Authority' }).fill(new URL(authority).origin);
  await page.getByRole('radio', { name: 'Certificate (preferred)' }).check();
  await page.getByRole('textbox', { name: 'Private key (PEM): name' }).fill('private-key.pem');
  await page.getByRole('textbox', { name: 'Certificate (PEM): name' }).fill('certificate.pem');
  // The key Dataverse will send as `?code=`: a file of the secrets folder, by name.
  if (options.webhookKeyFile)
    await page.getByRole('textbox', { name: 'Webhook key: name' }).fill(options.webhookKeyFile);
}
