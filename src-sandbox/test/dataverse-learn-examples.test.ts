import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT_ID } from '../../src-shared/demo-tenant';
import { startSandbox, type Sandbox } from '../start-sandbox';
import { sandboxFetch } from '../test-support/sandbox-fetch';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';

type Rows = { value: Record<string, unknown>[] };
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Requests shaped on the Microsoft Learn examples for the Dataverse Web API v9.2, each as the page shows it. */
describe('Dataverse stand-in against the Microsoft Learn examples', () => {
  let sandbox: Sandbox;
  let alex: string;
  const api = (path: string) => `${sandbox.dataverse.orgUrl}/api/data/v9.2/${path}`;
  const get = (path: string, headers: Record<string, string> = {}) =>
    sandboxFetch(api(path), { ca: sandbox.tls.caCert, token: alex, headers });
  const patch = (path: string, body: unknown, headers: Record<string, string>) =>
    sandboxFetch(api(path), {
      ca: sandbox.tls.caCert,
      token: alex,
      method: 'PATCH',
      body,
      headers,
    });

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
    alex = await sandbox.mintAccessToken({
      user: ALEX,
      scope: `${sandbox.dataverse.orgUrl}/user_impersonation`,
    });
  });
  afterAll(async () => sandbox?.stop());

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/count-rows
  it('adds totalrecordcount annotations when asked: the count with $count=true, -1 without', async () => {
    const all = (await get('contacts?$select=fullname')).json<Rows>().value.length;
    const counted = await get('contacts?$select=fullname&$count=true', {
      prefer:
        'odata.include-annotations="Microsoft.Dynamics.CRM.totalrecordcount,Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"',
    });
    expect(counted.json()).toMatchObject({
      '@odata.count': all,
      '@Microsoft.Dynamics.CRM.totalrecordcount': all,
      '@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded': false,
    });
    expect(Object.keys(counted.json()).slice(0, 4)).toEqual([
      '@odata.context',
      '@odata.count',
      '@Microsoft.Dynamics.CRM.totalrecordcount',
      '@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded',
    ]);
    const uncounted = (
      await get('contacts?$select=fullname', { prefer: 'odata.include-annotations="*"' })
    ).json();
    expect(uncounted['@Microsoft.Dynamics.CRM.totalrecordcount']).toBe(-1);
    expect(uncounted['@odata.count']).toBeUndefined();
    const notAsked = (await get('contacts?$select=fullname&$count=true')).json();
    expect(Object.keys(notAsked).filter((key) => key.includes('totalrecordcount'))).toEqual([]);
  });

  // Same page: the maxpagesize and include-annotations preferences are both applied and both echoed.
  it('lists every applied preference in Preference-Applied', async () => {
    const response = await get(
      "accounts?$select=name&$filter=contains(name,'sample')&$count=true",
      { prefer: 'odata.maxpagesize=3, odata.include-annotations="*"' },
    );
    expect(response.json<Rows>().value).toHaveLength(3);
    expect(response.headers['preference-applied']).toBe(
      'odata.maxpagesize=3,odata.include-annotations="*"',
    );
    const single = (response.json<Rows>().value[0]?.accountid as string) ?? '';
    const one = await get(`accounts(${single})?$select=name`, {
      prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"',
    });
    expect(one.headers['preference-applied']).toBe(
      'odata.include-annotations="OData.Community.Display.V1.FormattedValue"',
    );
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows#filter-using-lookup-column-property-values
  it('filters on a property of a single-valued navigation property', async () => {
    const expanded = (
      await get(
        'accounts?$select=name,_primarycontactid_value&$expand=primarycontactid($select=fullname)',
      )
    ).json<Rows>().value;
    const withContact = expanded.filter((row) => row.primarycontactid !== null);
    expect(withContact.length).toBeGreaterThan(1);
    const name = String((withContact[0]?.primarycontactid as { fullname: string }).fullname);
    const expected = withContact
      .filter(
        (row) =>
          (row.primarycontactid as { fullname: string }).fullname.toLowerCase() ===
          name.toLowerCase(),
      )
      .map((row) => row.accountid);
    const filtered = await get(
      `accounts?$filter=${encodeURIComponent(`primarycontactid/fullname eq ${literal(name)}`)}&$select=name,_primarycontactid_value`,
    );
    expect(filtered.status).toBe(200);
    expect(
      filtered
        .json<Rows>()
        .value.map((row) => row.accountid)
        .sort(),
    ).toEqual([...expected].sort());

    const contacts = (
      await get('contacts?$select=fullname&$expand=parentcustomerid_account($select=name)')
    ).json<Rows>().value;
    const accountName = String(
      contacts
        .map((row) => row.parentcustomerid_account as { name: string } | null)
        .find((account) => account)?.name,
    );
    const byParent = (
      await get(
        `contacts?$select=fullname&$filter=${encodeURIComponent(`parentcustomerid_account/name eq ${literal(accountName)}`)}`,
      )
    ).json<Rows>().value;
    const parentExpected = contacts
      .filter(
        (row) => (row.parentcustomerid_account as { name: string } | null)?.name === accountName,
      )
      .map((row) => row.contactid);
    expect(parentExpected.length).toBeGreaterThan(0);
    expect(byParent.map((row) => row.contactid).sort()).toEqual([...parentExpected].sort());

    const sampleParents = (
      await get(
        `contacts?$select=fullname&$filter=${encodeURIComponent("contains(parentcustomerid_account/name,'(sample)') and parentcustomerid_account/name ne null")}`,
      )
    ).json<Rows>().value;
    const sampleExpected = contacts
      .filter((row) =>
        (row.parentcustomerid_account as { name: string } | null)?.name.includes('(sample)'),
      )
      .map((row) => row.contactid);
    expect(sampleParents.map((row) => row.contactid).sort()).toEqual([...sampleExpected].sort());

    const unknown = await get(`contacts?$filter=${encodeURIComponent("nosuchnav/name eq 'x'")}`);
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toMatchObject({
      error: {
        message:
          "Could not find a property named 'nosuchnav' on type 'Microsoft.Dynamics.CRM.contact'.",
      },
    });
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/join-tables#expand-collection-valued-navigation-properties
  it('expands a collection-valued navigation property with the documented row shape and nextLink', async () => {
    const truth = (await get('contacts?$select=fullname,_parentcustomerid_value')).json<Rows>()
      .value;
    const response = await get(
      'accounts?$select=name&$expand=contact_customer_accounts($select=fullname)',
    );
    expect(response.status).toBe(200);
    const body = response.json<Rows & { '@odata.context': string }>();
    expect(body['@odata.context']).toBe(
      `${sandbox.dataverse.orgUrl}/api/data/v9.2/$metadata#accounts(name,contact_customer_accounts(fullname))`,
    );
    let nonEmpty = 0;
    for (const account of body.value) {
      const related = account.contact_customer_accounts as Record<string, unknown>[];
      const expected = truth
        .filter((row) => row._parentcustomerid_value === account.accountid)
        .map((row) => row.contactid);
      expect(related.map((row) => row.contactid).sort()).toEqual([...expected].sort());
      for (const row of related)
        expect(Object.keys(row).sort()).toEqual([
          '@odata.etag',
          '_parentcustomerid_value',
          'contactid',
          'fullname',
        ]);
      expect(account['contact_customer_accounts@odata.nextLink']).toBe(
        `${sandbox.dataverse.orgUrl}/api/data/v9.2/accounts(${String(account.accountid)})/contact_customer_accounts?$select=fullname`,
      );
      if (related.length > 0) nonEmpty += 1;
    }
    expect(nonEmpty).toBeGreaterThan(3);

    const withTwo = body.value.find(
      (account) => (account.contact_customer_accounts as unknown[]).length >= 2,
    );
    const followed = await sandboxFetch(
      String(withTwo?.['contact_customer_accounts@odata.nextLink']),
      { ca: sandbox.tls.caCert, token: alex },
    );
    expect(followed.status).toBe(200);
    expect(
      followed
        .json<Rows>()
        .value.map((row) => row.contactid)
        .sort(),
    ).toEqual(
      (withTwo?.contact_customer_accounts as Record<string, unknown>[])
        .map((row) => row.contactid)
        .sort(),
    );
  });

  it('applies $select, $filter, $orderby and $top inside a collection-valued $expand', async () => {
    const truth = (await get('contacts?$select=fullname,_parentcustomerid_value')).json<Rows>()
      .value;
    const options = "$select=fullname;$filter=contains(fullname,'a');$orderby=fullname desc;$top=2";
    const response = await get(
      `accounts?$select=name&$expand=contact_customer_accounts(${encodeURIComponent(options)})`,
    );
    expect(response.status).toBe(200);
    let checked = 0;
    for (const account of response.json<Rows>().value) {
      const related =
        (account.contact_customer_accounts as { contactid: string; fullname: string }[]) ?? [];
      const candidates = truth.filter(
        (row) =>
          row._parentcustomerid_value === account.accountid &&
          String(row.fullname).toLowerCase().includes('a'),
      );
      expect(related).toHaveLength(Math.min(2, candidates.length));
      for (const row of related)
        expect(candidates.map((candidate) => candidate.contactid)).toContain(row.contactid);
      const names = related.map((row) => row.fullname);
      expect(names).toEqual(
        [...names].sort((a, b) => b.localeCompare(a, 'en', { sensitivity: 'base' })),
      );
      if (candidates.length > 2) checked += 1;
    }
    expect(checked).toBeGreaterThan(0);

    const tasks = (
      await get('accounts?$select=name&$expand=Account_Tasks($select=subject)')
    ).json<Rows>().value;
    const taskTruth = (
      await get('tasks?$select=subject,_regardingobjectid_value', {
        prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.lookuplogicalname"',
      })
    ).json<Rows>().value;
    for (const account of tasks) {
      const expected = taskTruth.filter(
        (task) =>
          task._regardingobjectid_value === account.accountid &&
          task['_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname'] === 'account',
      );
      expect(
        (account.Account_Tasks as Record<string, unknown>[]).map((task) => task.activityid).sort(),
      ).toEqual(expected.map((task) => task.activityid).sort());
    }

    const manyToOne = await get(
      `accounts?$select=name&$expand=primarycontactid(${encodeURIComponent('$select=fullname;$top=1')})`,
    );
    expect(manyToOne.status).toBe(400);
    expect(manyToOne.json()).toEqual({
      error: {
        code: '0x80060888',
        message:
          'Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship.',
      },
    });
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api#conditional-retrievals
  it('answers a conditional GET with 304 while the row is unchanged', async () => {
    const task = (await get('tasks?$select=subject&$top=1')).json<Rows>().value[0] ?? {};
    const etag = String(task['@odata.etag']);
    expect(etag).toMatch(/^W\/"\d+"$/);
    const path = `tasks(${String(task.activityid)})?$select=subject`;
    const notModified = await get(path, { 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.etag).toBe(etag);
    expect((await get(path, { 'if-none-match': 'W/"1"' })).status).toBe(200);
    // `If-None-Match: null` is how the docs say to bypass caching; annotations and $expand never answer 304.
    expect((await get(path, { 'if-none-match': 'null' })).status).toBe(200);
    expect(
      (await get(path, { 'if-none-match': etag, prefer: 'odata.include-annotations="*"' })).status,
    ).toBe(200);
    expect(
      (
        await get(`${path}&$expand=regardingobjectid_account_task($select=name)`, {
          'if-none-match': etag,
        })
      ).status,
    ).toBe(200);
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api#limit-upsert-operations
  it('limits upserts: If-None-Match: * refuses an update, If-Match: * refuses a create', async () => {
    const { UserId } = (await get('WhoAmI')).json<{ UserId: string }>();
    const task =
      (
        await get(
          `tasks?$select=subject&$filter=_ownerid_value eq ${UserId} and statecode eq 0&$top=1`,
        )
      ).json<Rows>().value[0] ?? {};
    const preventUpdate = await patch(
      `tasks(${String(task.activityid)})`,
      { subject: 'Renamed by an upsert' },
      { 'if-none-match': '*' },
    );
    expect(preventUpdate.status).toBe(412);
    expect(preventUpdate.json()).toEqual({
      error: { code: '', message: 'A record with matching key values already exists.' },
    });
    expect((await get(`tasks(${String(task.activityid)})?$select=subject`)).json()).toMatchObject({
      subject: task.subject,
      '@odata.etag': task['@odata.etag'],
    });

    const missing = '00000000-0000-4000-8000-00000000abcd';
    const preventCreate = await patch(
      `tasks(${missing})`,
      { subject: 'Should not exist' },
      { 'if-match': '*' },
    );
    expect(preventCreate.status).toBe(404);
    expect(preventCreate.json()).toEqual({
      error: { code: '', message: `task With Id = ${missing} Does Not Exist` },
    });
    expect((await get(`tasks(${missing})`)).status).toBe(404);

    const created = await patch(
      `tasks(${missing})`,
      { subject: 'Created by an upsert' },
      { 'if-none-match': '*' },
    );
    expect(created.status).toBe(204);
    expect((await get(`tasks(${missing})?$select=subject`)).json()).toMatchObject({
      subject: 'Created by an upsert',
    });
  });

  // Clients read the org's tenant from this challenge; a tenant-less `common` sends them to the wrong directory.
  // https://learn.microsoft.com/dynamics365/customerengagement/on-premises/developer/walkthrough-multi-tenant-server-server-authentication
  it("names the org's own tenant in the 401 challenge", async () => {
    const anonymous = await sandboxFetch(api('WhoAmI'), { ca: sandbox.tls.caCert });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe(
      `Bearer authorization_uri=${sandbox.entra.origin}/${DEMO_TENANT_ID}/oauth2/authorize, resource_id=${sandbox.dataverse.orgUrl}/`,
    );
  });
});
