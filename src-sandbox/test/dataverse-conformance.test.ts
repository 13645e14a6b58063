import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../start-sandbox';
import { sandboxFetch } from '../test-support/sandbox-fetch';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';
const MEGAN = 'megan.bowen@contoso-sample.onmicrosoft.com';

describe('Dataverse Web API stand-in', () => {
  let sandbox: Sandbox;
  let alex: string;
  let megan: string;
  const api = (path: string) => `${sandbox.dataverse.orgUrl}/api/data/v9.2/${path}`;
  const get = (path: string, token = alex, headers: Record<string, string> = {}) =>
    sandboxFetch(api(path), { ca: sandbox.tls.caCert, token, headers });

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
    alex = await sandbox.mintAccessToken({
      user: ALEX,
      scope: `${sandbox.dataverse.orgUrl}/user_impersonation`,
    });
    megan = await sandbox.mintAccessToken({
      user: MEGAN,
      scope: `${sandbox.dataverse.orgUrl}/user_impersonation`,
    });
  });
  afterAll(async () => sandbox?.stop());

  it('answers WhoAmI with the systemuser whose azureactivedirectoryobjectid is the token oid', async () => {
    const whoAmI = await get('WhoAmI');
    expect(whoAmI.status).toBe(200);
    expect(whoAmI.headers['odata-version']).toBe('4.0');
    const { UserId } = whoAmI.json<{ UserId: string }>();
    const user = await get(`systemusers(${UserId})?$select=azureactivedirectoryobjectid`);
    expect(user.json()).toMatchObject({
      azureactivedirectoryobjectid: sandbox.users.find((u) => u.upn === ALEX)?.oid,
    });
    expect(
      (
        await sandboxFetch(api('WhoAmI'), {
          ca: sandbox.tls.caCert,
          token: alex,
          method: 'POST',
          body: {},
        })
      ).json(),
    ).toMatchObject({
      error: { code: '', message: expect.stringContaining('No HTTP resource was found') },
    });
  });

  it('returns the documented collection envelope: context, etag per row, primary key always', async () => {
    const contacts = await get('contacts?$select=fullname&$top=3&$count=true');
    const body = contacts.json<{
      '@odata.context': string;
      '@odata.count': number;
      value: Record<string, unknown>[];
    }>();
    expect(body['@odata.context']).toBe(
      `${sandbox.dataverse.orgUrl}/api/data/v9.2/$metadata#contacts(fullname)`,
    );
    expect(body['@odata.count']).toBeGreaterThan(3);
    expect(body.value).toHaveLength(3);
    for (const row of body.value)
      expect(Object.keys(row).sort()).toEqual(['@odata.etag', 'contactid', 'fullname']);
  });

  it('filters with apostrophes, LIKE wildcards, case-insensitivity and unquoted GUIDs', async () => {
    const obrien = await get(
      `contacts?$select=fullname&$filter=${encodeURIComponent("contains(fullname,'o''brien')")}`,
    );
    const names = obrien.json<{ value: { fullname: string }[] }>().value.map((row) => row.fullname);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => name.includes("O'Brien"))).toBe(true);
    const wildcard = await get(
      `contacts?$select=fullname&$filter=${encodeURIComponent("startswith(fullname,'s_án')")}`,
    );
    expect(
      wildcard
        .json<{ value: { fullname: string }[] }>()
        .value.every((row) => row.fullname.startsWith('Seán')),
    ).toBe(true);
    const literalPercent = await get(
      `accounts?$select=name&$filter=${encodeURIComponent("contains(name,'[%]')")}`,
    );
    expect(literalPercent.json<{ value: unknown[] }>().value).toEqual([]);
    const { UserId } = (await get('WhoAmI')).json<{ UserId: string }>();
    const mine = await get(
      `tasks?$select=subject&$filter=_ownerid_value eq ${UserId} and statecode eq 0&$orderby=scheduledend asc`,
    );
    expect(mine.status).toBe(200);
    expect(mine.json<{ value: unknown[] }>().value.length).toBeGreaterThan(0);
  });

  it('answers malformed queries with Dataverse-shaped 4xx errors', async () => {
    const cases: [string, number, string, string][] = [
      [
        `contacts?$filter=${encodeURIComponent("fullname eq 'O'Brien'")}`,
        400,
        '0x80060888',
        'unterminated literal at position',
      ],
      [
        `contacts?$filter=${encodeURIComponent("_ownerid_value eq '5e5e0000-0000-4000-8000-000000000001'")}`,
        400,
        '0x80060888',
        "Found operand types 'Edm.Guid' and 'Edm.String' for operator kind 'Equal'",
      ],
      [
        'accounts?$select=Name',
        400,
        '0x0',
        "Could not find a property named 'Name' on type 'Microsoft.Dynamics.CRM.account'.",
      ],
      ['Account', 404, '0x80060888', "Resource not found for the segment 'Account'."],
      ['accounts?$skip=10', 400, '0x80060888', '$skip is not supported'],
      [
        'accounts(00000000-0000-4000-8000-000000000009)',
        404,
        '0x80040217',
        "Entity 'account' With Id = 00000000-0000-4000-8000-000000000009 Does Not Exist",
      ],
      [`accounts?$filter=${encodeURIComponent('name eq and')}`, 400, '0x80060888', 'Syntax error'],
    ];
    for (const [path, status, code, message] of cases) {
      const response = await get(path);
      expect(response.status, path).toBe(status);
      expect(
        response.json<{ error: { code: string; message: string } }>().error,
        path,
      ).toMatchObject({ code, message: expect.stringContaining(message) });
    }
  });

  it('pages with a cookie-shaped $skiptoken nextLink that keeps the query, and ignores $top with maxpagesize', async () => {
    const first = await get('contacts?$select=fullname&$top=2', alex, {
      prefer: 'odata.maxpagesize=10',
    });
    expect(first.headers['preference-applied']).toContain('odata.maxpagesize=10');
    const body = first.json<{ value: unknown[]; '@odata.nextLink': string }>();
    expect(body.value).toHaveLength(10);
    const next = new URL(body['@odata.nextLink']);
    expect(next.searchParams.get('$select')).toBe('fullname');
    expect(next.searchParams.get('$skiptoken')).toMatch(
      /^<cookie pagenumber="2" pagingcookie=".*" istracking="False" \/>$/,
    );
    const second = await sandboxFetch(body['@odata.nextLink'], {
      ca: sandbox.tls.caCert,
      token: alex,
      headers: { prefer: 'odata.maxpagesize=10' },
    });
    const ids = [...body.value, ...second.json<{ value: unknown[] }>().value].map(
      (row) => (row as { contactid: string }).contactid,
    );
    expect(new Set(ids).size).toBe(20);
  });

  it('adds formatted values and lookup annotations only when asked', async () => {
    const plain = await get('opportunities?$select=name,estimatedvalue,_customerid_value&$top=1');
    expect(
      Object.keys(plain.json<{ value: Record<string, unknown>[] }>().value[0] ?? {}).filter((key) =>
        key.includes('@'),
      ),
    ).toEqual(['@odata.etag']);
    const annotated = await get(
      'opportunities?$select=name,estimatedvalue,_customerid_value&$top=1',
      alex,
      { prefer: 'odata.include-annotations="*"' },
    );
    const row = annotated.json<{ value: Record<string, unknown>[] }>().value[0] ?? {};
    expect(row['estimatedvalue@OData.Community.Display.V1.FormattedValue']).toMatch(
      /^\$[\d,]+\.\d{2}$/,
    );
    expect(row['_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname']).toBe('account');
    expect(typeof row['_customerid_value@OData.Community.Display.V1.FormattedValue']).toBe(
      'string',
    );
    expect(row._transactioncurrencyid_value).toBeDefined();
  });

  it('shows each user only the rows they own', async () => {
    const count = async (token: string) => Number((await get('accounts/$count', token)).text);
    const [mine, hers] = [await count(alex), await count(megan)];
    expect(mine).toBeGreaterThan(0);
    expect(hers).toBeGreaterThan(0);
    const alexIds = new Set(
      (await get('accounts?$select=name'))
        .json<{ value: { accountid: string }[] }>()
        .value.map((row) => row.accountid),
    );
    const meganIds = (await get('accounts?$select=name', megan))
      .json<{ value: { accountid: string }[] }>()
      .value.map((row) => row.accountid);
    expect(meganIds.some((id) => alexIds.has(id))).toBe(false);
  });

  it('closes a task with If-Match, refuses a stale ETag and invalid state/status pairs', async () => {
    const { UserId } = (await get('WhoAmI')).json<{ UserId: string }>();
    const open = (
      await get(
        `tasks?$select=subject&$filter=_ownerid_value eq ${UserId} and statecode eq 0&$top=1`,
      )
    ).json<{ value: { activityid: string; '@odata.etag': string }[] }>().value[0];
    expect(open).toBeDefined();
    const patch = (body: unknown, ifMatch: string, token = alex) =>
      sandboxFetch(api(`tasks(${open?.activityid})`), {
        ca: sandbox.tls.caCert,
        token,
        method: 'PATCH',
        body,
        headers: { 'if-match': ifMatch },
      });
    expect(
      (await patch({ statecode: 0, statuscode: 5 }, open?.['@odata.etag'] ?? '')).json(),
    ).toMatchObject({ error: { code: '0x80048408' } });
    expect(
      (await patch({ statecode: 1, statuscode: 5 }, open?.['@odata.etag'] ?? '', megan)).status,
    ).toBe(403);
    const done = await patch({ statecode: 1, statuscode: 5 }, open?.['@odata.etag'] ?? '');
    expect(done.status).toBe(204);
    const stale = await patch({ statecode: 0, statuscode: 2 }, open?.['@odata.etag'] ?? '');
    expect(stale.status).toBe(412);
    expect(stale.json()).toEqual({
      error: {
        code: '',
        message:
          "The version of the existing record doesn't match the RowVersion property provided.",
      },
    });
    const after = (await get(`tasks(${open?.activityid})?$select=statecode,statuscode`)).json();
    expect(after).toMatchObject({ statecode: 1, statuscode: 5 });
    const missing = await sandboxFetch(api('tasks(00000000-0000-4000-8000-0000000000ff)'), {
      ca: sandbox.tls.caCert,
      token: alex,
      method: 'PATCH',
      body: { statecode: 1, statuscode: 5 },
      headers: { 'if-match': '*' },
    });
    expect(missing.status).toBe(404);
  });

  it('answers 401 with the tenant-discovery challenge and 403 without user_impersonation', async () => {
    const anonymous = await sandboxFetch(api('WhoAmI'), { ca: sandbox.tls.caCert });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toContain('Bearer authorization_uri=');
    const graphToken = await sandbox.mintAccessToken({
      user: ALEX,
      scope: 'https://graph.microsoft.com/Calendars.Read',
    });
    expect((await get('WhoAmI', graphToken)).status).toBe(401);
    expect((await get('WhoAmI', `${alex.slice(0, -4)}AAAA`)).status).toBe(401);
  });

  it('never crashes on 1,000 random $filter strings', async () => {
    const fragments = [
      'name',
      'fullname',
      "'x'",
      "'O''B'",
      'eq',
      'ne',
      'gt',
      'and',
      'or',
      'not',
      '(',
      ')',
      'contains(',
      'startswith(',
      ',',
      'null',
      '5',
      '2024-01-01',
      '00000000-0000-4000-8000-000000000001',
      "'",
      '%',
      '[',
      ']',
      '/',
      '$',
      'true',
    ];
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 6 })), {
          maxLength: 12,
        }),
        async (parts) => {
          const response = await get(
            `accounts?$select=name&$top=1&$filter=${encodeURIComponent(parts.join(' '))}`,
          );
          statuses.add(response.status);
          expect([200, 400]).toContain(response.status);
          if (response.status === 400)
            expect(
              response.json<{ error: { code: string; message: string } }>().error.message.length,
            ).toBeGreaterThan(0);
        },
      ),
      { numRuns: 1000, seed: 424242 },
    );
    expect(statuses.has(400)).toBe(true);
  });
});
