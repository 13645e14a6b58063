import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../start-sandbox';
import { sandboxFetch } from '../test-support/sandbox-fetch';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';

// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/count-rows
// "When used with the $count=true query option and there are more than 5,000 records": 5000, 5000, true.
describe('Dataverse $count past the 5,000 row limit (large sample org)', () => {
  let sandbox: Sandbox;
  let alex: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'large' });
    alex = await sandbox.mintAccessToken({
      user: ALEX,
      scope: `${sandbox.dataverse.orgUrl}/user_impersonation`,
    });
  });
  afterAll(async () => sandbox?.stop());

  it('caps @odata.count and totalrecordcount at 5000 and says the limit was exceeded', async () => {
    const response = await sandboxFetch(
      `${sandbox.dataverse.orgUrl}/api/data/v9.2/contacts?$select=fullname&$count=true`,
      {
        ca: sandbox.tls.caCert,
        token: alex,
        headers: {
          prefer: 'odata.maxpagesize=3,odata.include-annotations="Microsoft.Dynamics.CRM.*"',
        },
      },
    );
    expect(response.status).toBe(200);
    const body = response.json<Record<string, unknown> & { value: unknown[] }>();
    expect(body['@odata.count']).toBe(5000);
    expect(body['@Microsoft.Dynamics.CRM.totalrecordcount']).toBe(5000);
    expect(body['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded']).toBe(true);
    expect(body.value).toHaveLength(3);
  });
});
