import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../start-sandbox';
import { sandboxFetch } from '../test-support/sandbox-fetch';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';

// Search results and tasks link to the record's page in the model-driven app
// (https://learn.microsoft.com/power-apps/developer/model-driven-apps/open-forms-views-dialogs-reports-url):
// the stand-in answers that link with a small HTML page, not with the Web API's JSON 404.
describe('Dataverse stand-in record page', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
  });
  afterAll(async () => sandbox?.stop());

  it('answers a record link with an HTML page naming the record', async () => {
    const org = sandbox.dataverse.orgUrl;
    const token = await sandbox.mintAccessToken({ user: ALEX, scope: `${org}/user_impersonation` });
    const contacts = await sandboxFetch(
      `${org}/api/data/v9.2/contacts?$select=fullname,contactid&$top=1`,
      { ca: sandbox.tls.caCert, token },
    );
    const [contact] = contacts.json<{ value: { contactid: string; fullname: string }[] }>().value;
    const page = await sandboxFetch(
      `${org}/main.aspx?etn=contact&id=${contact?.contactid ?? ''}&pagetype=entityrecord`,
      { ca: sandbox.tls.caCert, headers: { accept: 'text/html' } },
    );
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain(`<h1>${(contact?.fullname ?? '').replace(/'/g, '&#39;')}</h1>`);
    expect(page.text).not.toContain('"error"');
  });

  it('answers an unknown record with an HTML "not found" page', async () => {
    const page = await sandboxFetch(
      `${sandbox.dataverse.orgUrl}/main.aspx?etn=contact&id=00000000-0000-0000-0000-000000000000&pagetype=entityrecord`,
      { ca: sandbox.tls.caCert, headers: { accept: 'text/html' } },
    );
    expect(page.status).toBe(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('Record not found');
  });
});
