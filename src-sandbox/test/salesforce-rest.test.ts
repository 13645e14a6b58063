import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../start-sandbox';
import { sandboxFetch, type SandboxResponse } from '../test-support/sandbox-fetch';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';
const MEGAN = 'megan.bowen@contoso-sample.onmicrosoft.com';
const API = '/services/data/v64.0';

interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}
type ErrorBody = { message: string; errorCode: string; fields?: string[] }[];

// REST API status codes and error bodies: https://developer.salesforce.com/docs/platform/api-rest/guide/errorcodes.html
describe('Salesforce stand-in: REST API (versions, limits, query, sObject rows)', () => {
  let sandbox: Sandbox;
  let alex: string;
  let alexId: string;
  const instance = () => sandbox.salesforce.environments.production.instanceUrl;
  const call = (
    path: string,
    init: {
      token?: string;
      method?: string;
      body?: unknown;
      headers?: Record<string, string>;
    } = {},
  ): Promise<SandboxResponse> =>
    sandboxFetch(`${instance()}${path}`, {
      ca: sandbox.tls.caCert,
      token: 'token' in init ? init.token : alex,
      method: init.method,
      body: init.body,
      headers: init.headers,
    });
  const query = (soql: string, headers: Record<string, string> = {}, token = alex) =>
    call(`${API}/query?q=${encodeURIComponent(soql)}`, { headers, token });
  const myOpenTasks = (limit = '') =>
    `SELECT Id, Subject, ActivityDate, Status, Priority, WhatId, What.Name, WhoId, Who.Name FROM Task WHERE OwnerId = '${alexId}' AND IsClosed = false ORDER BY ActivityDate ASC NULLS LAST${limit}`;
  /** Every record of a query, following nextRecordsUrl. */
  const all = async (soql: string, headers: Record<string, string> = {}) => {
    const pages: QueryPage[] = [(await query(soql, headers)).json<QueryPage>()];
    while (!pages.at(-1)?.done)
      pages.push((await call(pages.at(-1)?.nextRecordsUrl ?? '', { headers })).json<QueryPage>());
    return { pages, records: pages.flatMap((page) => page.records) };
  };
  const expectError = (
    response: SandboxResponse,
    status: number,
    errorCode: string,
    message?: string | RegExp,
  ) => {
    expect(response.status, response.text).toBe(status);
    const body = response.json<ErrorBody>();
    expect(Array.isArray(body)).toBe(true);
    expect(body[0]?.errorCode).toBe(errorCode);
    if (message !== undefined) expect(body[0]?.message).toMatch(message);
    return body[0];
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
    alex = sandbox.salesforce.issueTokens({ environment: 'production', user: ALEX }).accessToken;
    alexId =
      sandbox.salesforce.environments.production.users.find((user) => user.upn === ALEX)?.userId ??
      '';
  });
  afterAll(async () => sandbox?.stop());

  it('lists the versions without authentication or limit info, and resolves /latest to the newest', async () => {
    // "Versions", https://developer.salesforce.com/docs/platform/api-rest/guide/resources-versions.html
    const versions = await call('/services/data/', { token: undefined });
    expect(versions.status).toBe(200);
    expect(versions.headers['sforce-limit-info']).toBeUndefined();
    const list = versions.json<{ label: string; url: string; version: string }[]>();
    expect(list.at(-1)).toEqual({
      label: "Summer '25",
      url: '/services/data/v64.0',
      version: '64.0',
    });
    for (const entry of list) expect(entry.url).toBe(`/services/data/v${entry.version}`);
    const latest = await call('/services/data/latest/limits');
    expect(latest.status).toBe(200);
    expect((await call('/services/data/latest/')).json()).toMatchObject({ query: `${API}/query` });
    expectError(
      await call('/services/data/v20.0/limits'),
      404,
      'NOT_FOUND',
      'The requested resource does not exist',
    );
    expectError(await call(`${API}/nothing-here`), 404, 'NOT_FOUND');
  });

  it('answers 401 INVALID_SESSION_ID as a JSON array for a missing, unknown or non-api token', async () => {
    for (const token of [
      undefined,
      'garbage',
      `${sandbox.salesforce.environments.production.orgId.slice(0, 15)}!AQforged`,
    ]) {
      const answer = await call(`${API}/limits`, { token });
      expect([answer.status, answer.json()]).toEqual([
        401,
        [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
      ]);
    }
    const idOnly = sandbox.salesforce.issueTokens({
      environment: 'production',
      user: ALEX,
      scope: 'id',
    }).accessToken;
    expectError(
      await call(`${API}/limits`, { token: idOnly }),
      401,
      'INVALID_SESSION_ID',
      'This session is not valid for use with the REST API',
    );
  });

  it('carries Sforce-Limit-Info on every REST answer and counts calls in /limits DailyApiRequests', async () => {
    // "Limit Info Header", https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm
    // "Limits", https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm
    const first = await call(`${API}/limits`);
    const [used, max] = String(first.headers['sforce-limit-info'])
      .replace('api-usage=', '')
      .split('/')
      .map(Number);
    expect(first.headers['sforce-limit-info']).toMatch(/^api-usage=\d+\/\d+$/);
    expect(first.json()).toMatchObject({
      DailyApiRequests: { Max: max, Remaining: (max ?? 0) - (used ?? 0) },
    });
    const failed = await query('SELECT FROM Task');
    expect(failed.headers['sforce-limit-info']).toBe(`api-usage=${(used ?? 0) + 1}/${max}`);
    const second = (await call(`${API}/limits`)).json<{
      DailyApiRequests: { Remaining: number };
    }>();
    expect(second.DailyApiRequests.Remaining).toBe((max ?? 0) - (used ?? 0) - 2);
    expect(
      (await call(`${API}/limits`, { token: 'garbage' })).headers['sforce-limit-info'],
    ).toMatch(/^api-usage=/);
  });

  it("answers the user's open tasks in batches, following nextRecordsUrl until done", async () => {
    // "Query", https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query.html
    // "Query More Results", https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query-more-results.html
    // "Query Options Header", https://developer.salesforce.com/docs/platform/api-rest/guide/headers-queryoptions.html
    const { pages, records } = await all(myOpenTasks(), {
      'sforce-query-options': 'batchSize=200',
    });
    expect(pages.length).toBe(2);
    const [first, last] = [pages[0] as QueryPage, pages[1] as QueryPage];
    expect([first.done, first.records.length, first.totalSize]).toEqual([
      false,
      200,
      records.length,
    ]);
    expect(first.nextRecordsUrl).toMatch(
      /^\/services\/data\/v64\.0\/query\/01g[A-Za-z0-9]{12}-200$/,
    );
    expect(last.done).toBe(true);
    expect(last.nextRecordsUrl).toBeUndefined();
    expect(Object.keys(first).sort()).toEqual(['done', 'nextRecordsUrl', 'records', 'totalSize']);
    expect(new Set(records.map((record) => record.Id)).size).toBe(records.length);
    const dates = records.map((record) => record.ActivityDate as string | null);
    const firstNull = dates.indexOf(null);
    expect(firstNull).toBeGreaterThan(0);
    expect(dates.slice(firstNull).every((date) => date === null)).toBe(true);
    expect(dates.slice(0, firstNull)).toEqual([...dates.slice(0, firstNull)].sort());
    const task = records.find((record) => record.What !== null && record.Who !== null) ?? {};
    expect(Object.keys(task)).toEqual([
      'attributes',
      'Id',
      'Subject',
      'ActivityDate',
      'Status',
      'Priority',
      'WhatId',
      'What',
      'WhoId',
      'Who',
    ]);
    expect(task.attributes).toEqual({
      type: 'Task',
      url: `${API}/sobjects/Task/${String(task.Id)}`,
    });
    // Who and What are polymorphic: they resolve through the Name object.
    expect(task.What).toMatchObject({
      attributes: {
        type: 'Name',
        url: expect.stringMatching(
          new RegExp(`^${API}/sobjects/(Account|Opportunity)/${String(task.WhatId)}$`),
        ),
      },
      Name: expect.any(String),
    });
    expect(records.every((record) => record.Status !== 'Completed')).toBe(true);
    // Below the minimum a batch is 200; without the header one batch of up to 2,000 answers everything.
    expect(
      (await query(myOpenTasks(), { 'sforce-query-options': 'batchSize=10' })).json<QueryPage>()
        .records.length,
    ).toBe(200);
    expect((await query(myOpenTasks())).json<QueryPage>()).toMatchObject({
      done: true,
      totalSize: records.length,
    });
    expect((await query(`${myOpenTasks()} LIMIT 5`)).json<QueryPage>()).toMatchObject({
      done: true,
      totalSize: 5,
    });
  });

  it('hides every task whose status is a closed one with IsClosed = false', async () => {
    // TaskStatus.IsClosed: https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_taskstatus.htm
    const open = (
      await all(`SELECT Id, Status FROM Task WHERE OwnerId = '${alexId}' AND IsClosed = false`)
    ).records;
    const closed = (
      await all(
        `SELECT Id, Status, IsClosed FROM Task WHERE OwnerId = '${alexId}' AND IsClosed = true`,
      )
    ).records;
    const total = (
      await query(`SELECT COUNT() FROM Task WHERE OwnerId = '${alexId}'`)
    ).json<QueryPage>();
    expect(total).toEqual({ totalSize: open.length + closed.length, done: true, records: [] });
    expect(closed.length).toBeGreaterThan(0);
    expect(
      closed.every((record) => record.Status === 'Completed' && record.IsClosed === true),
    ).toBe(true);
    expect(open.some((record) => record.Status === 'Completed')).toBe(false);
  });

  it("evaluates TODAY and other date literals in the querying user's time zone", async () => {
    // "Date Formats and Date Literals", https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm
    for (const upn of [ALEX, 'nestor@fabrikam-sample.onmicrosoft.com']) {
      const issued = sandbox.salesforce.issueTokens({ environment: 'production', user: upn });
      const timezone = (
        await sandboxFetch(issued.id, { ca: sandbox.tls.caCert, token: issued.accessToken })
      ).json<{ timezone: string }>().timezone;
      const today = new Intl.DateTimeFormat('en-CA', {
        timeZone: timezone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(Date.now());
      const dates = async (where: string) =>
        (await query(`SELECT ActivityDate FROM Task WHERE ${where}`, {}, issued.accessToken))
          .json<QueryPage>()
          .records.map((record) => String(record.ActivityDate));
      const overdue = await dates('ActivityDate < TODAY');
      expect(overdue.length).toBeGreaterThan(0);
      expect(overdue.every((date) => date < today)).toBe(true);
      expect((await dates('ActivityDate = TODAY')).every((date) => date === today)).toBe(true);
      expect((await dates('ActivityDate > TODAY')).every((date) => date > today)).toBe(true);
      const week = await dates('ActivityDate = NEXT_N_DAYS:7');
      expect(week.every((date) => date > today)).toBe(true);
    }
  });

  it("matches a name with an apostrophe written as \\' and refuses a stray backslash or quote", async () => {
    // "Reserved Characters", https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_reservedcharacters.htm
    // "Quoted String Escape Sequences", https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-select-quotedstringescapes.html
    const found = (
      await query("SELECT Name FROM Contact WHERE Name = 'Seán O\\'Brien'")
    ).json<QueryPage>();
    expect(found.records.map((record) => record.Name)).toEqual(["Seán O'Brien"]);
    const like = (
      await query("SELECT Name FROM Account WHERE Name LIKE 'acme & %'")
    ).json<QueryPage>();
    expect(like.records.map((record) => record.Name)).toEqual(['Acme & Co']);
    expectError(
      await query("SELECT Name FROM Contact WHERE Name = 'O\\zBrien'"),
      400,
      'MALFORMED_QUERY',
      /Illegal character sequence '\\z'/,
    );
    expectError(
      await query("SELECT Name FROM Contact WHERE Name = 'O'Brien'"),
      400,
      'MALFORMED_QUERY',
    );
    expectError(
      await query("SELECT Name FROM Contact WHERE Name = 'O\\_Brien'"),
      400,
      'MALFORMED_QUERY',
    );
    // SOSL's escapes are not SOQL's: only ' and \ are reserved in a SOQL literal.
    expectError(
      await query("SELECT Name FROM Account WHERE Name = 'Acme \\& Co'"),
      400,
      'MALFORMED_QUERY',
    );
  });

  it('answers malformed SOQL with MALFORMED_QUERY and unknown names with INVALID_FIELD or INVALID_TYPE, pointing at the column', async () => {
    const cases: [string, string, RegExp][] = [
      ['SELECT Id Task', 'MALFORMED_QUERY', /ERROR at Row:1:Column:11\nunexpected token: 'Task'/],
      ['SELECT * FROM Task', 'MALFORMED_QUERY', /ERROR at Row:1:Column:8/],
      [
        `SELECT Id FROM Task WHERE IsClosed = false AND Priority = 'High' OR Subject = 'x'`,
        'MALFORMED_QUERY',
        /unexpected token: 'OR'/,
      ],
      ['SELECT Id FROM Task LIMIT ten', 'MALFORMED_QUERY', /unexpected token: 'ten'/],
      [
        'SELECT Id, Foo FROM Task',
        'INVALID_FIELD',
        /^\nSELECT Id, Foo FROM Task\n {11}\^\nERROR at Row:1:Column:12\nNo such column 'Foo' on entity 'Task'/,
      ],
      [
        'SELECT Id, Nope.Name FROM Task',
        'INVALID_FIELD',
        /Didn't understand relationship 'Nope' in field path/,
      ],
      [
        'SELECT Id, What.Industry FROM Task',
        'INVALID_FIELD',
        /No such column 'Industry' on entity 'Name'/,
      ],
      ['SELECT Id FROM Tasks', 'INVALID_TYPE', /sObject type 'Tasks' is not supported/],
      [
        "SELECT Id FROM Task WHERE OwnerId = 'me'",
        'INVALID_QUERY_FILTER_OPERATOR',
        /invalid ID field: me/,
      ],
      [
        "SELECT Id FROM Task WHERE IsClosed = 'false'",
        'INVALID_FIELD',
        /must be of type boolean and should not be enclosed in quotes/,
      ],
      [
        "SELECT Id FROM Task WHERE ActivityDate = '2025-01-01'",
        'INVALID_FIELD',
        /must be of type date/,
      ],
    ];
    for (const [soql, errorCode, message] of cases)
      expectError(await query(soql), 400, errorCode, message);
    expectError(await call(`${API}/query`), 400, 'MALFORMED_QUERY');
  });

  it('closes a task with PATCH {"Status":"Completed"}: 204, no body, and it leaves the open-tasks query', async () => {
    // "Update a Record", https://developer.salesforce.com/docs/platform/api-rest/guide/dome-update-fields.html
    const before = (await all(myOpenTasks())).records;
    const task = before[0] ?? {};
    const patched = await call(`${API}/sobjects/Task/${String(task.Id)}`, {
      method: 'PATCH',
      body: { Status: 'Completed' },
    });
    expect([patched.status, patched.text]).toEqual([204, '']);
    const after = (await all(myOpenTasks())).records;
    expect(after.length).toBe(before.length - 1);
    expect(after.some((record) => record.Id === task.Id)).toBe(false);
    const row = (
      await call(`${API}/sobjects/Task/${String(task.Id)}?fields=Status,IsClosed`)
    ).json();
    expect(row).toEqual({
      attributes: { type: 'Task', url: `${API}/sobjects/Task/${String(task.Id)}` },
      Status: 'Completed',
      IsClosed: true,
    });
    // A 15-character id names the same record.
    expect(
      (
        await call(`${API}/sobjects/Task/${String(task.Id).slice(0, 15)}`, {
          method: 'PATCH',
          body: { Status: 'In Progress' },
        })
      ).status,
    ).toBe(204);
    expect((await all(myOpenTasks())).records.length).toBe(before.length);
  });

  it('refuses PATCH of unknown or read-only fields, bad picklist values and unknown ids', async () => {
    const task = String((await query(`${myOpenTasks()} LIMIT 1`)).json<QueryPage>().records[0]?.Id);
    const patch = (body: unknown, id = task) =>
      call(`${API}/sobjects/Task/${id}`, { method: 'PATCH', body });
    expectError(
      await patch({ Foo: 'x' }),
      400,
      'INVALID_FIELD',
      "No such column 'Foo' on sobject of type Task",
    );
    expect(
      expectError(
        await patch({ IsClosed: true }),
        400,
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        /Unable to create\/update fields: IsClosed/,
      )?.fields,
    ).toEqual(['IsClosed']);
    expect(
      expectError(
        await patch({ Status: 'Done-ish' }),
        400,
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        'Status: bad value for restricted picklist field: Done-ish',
      )?.fields,
    ).toEqual(['Status']);
    expectError(await patch({ ActivityDate: 'tomorrow' }), 400, 'JSON_PARSER_ERROR');
    expectError(await patch({ WhatId: alexId }), 400, 'FIELD_INTEGRITY_EXCEPTION');
    expectError(
      await patch({ Status: 'Completed' }, `00T${'0'.repeat(12)}`),
      404,
      'NOT_FOUND',
      'The requested resource does not exist',
    );
    expectError(
      await patch({ Status: 'Completed' }, 'not-an-id'),
      404,
      'NOT_FOUND',
      'Provided external ID field does not exist or is not accessible: not-an-id',
    );
    expectError(
      await call(`${API}/sobjects/Tasks/${task}`, {
        method: 'PATCH',
        body: { Status: 'Completed' },
      }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await call(`${API}/sobjects/Task/${task}`, {
        method: 'PATCH',
        body: '[1,2' as unknown,
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'JSON_PARSER_ERROR',
    );
    expectError(
      await call(`${API}/sobjects/Task/${task}`, { method: 'DELETE' }),
      405,
      'METHOD_NOT_ALLOWED',
    );
    // None of the refused updates changed the task.
    expect(
      (await call(`${API}/sobjects/Task/${task}?fields=Status`)).json<{ Status: string }>().Status,
    ).not.toBe('Completed');
  });

  it('updates through POST ?_HttpMethod=PATCH for clients that cannot send PATCH', async () => {
    const task = String((await query(`${myOpenTasks()} LIMIT 1`)).json<QueryPage>().records[0]?.Id);
    const answer = await call(`${API}/sobjects/Task/${task}?_HttpMethod=PATCH`, {
      method: 'POST',
      body: { Priority: 'Low' },
    });
    expect(answer.status).toBe(204);
    expect(
      (await call(`${API}/sobjects/Task/${task}?fields=Priority,IsHighPriority`)).json(),
    ).toMatchObject({ Priority: 'Low', IsHighPriority: false });
  });

  it('ignores If-Match on a Task and honours it on an Account, whose rows carry an ETag', async () => {
    // "Conditional Request Headers", https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest_conditional_requests.htm
    const task = String((await query(`${myOpenTasks()} LIMIT 1`)).json<QueryPage>().records[0]?.Id);
    expect((await call(`${API}/sobjects/Task/${task}`)).headers.etag).toBeUndefined();
    expect(
      (
        await call(`${API}/sobjects/Task/${task}`, {
          method: 'PATCH',
          body: { Priority: 'High' },
          headers: { 'if-match': '"stale"' },
        })
      ).status,
    ).toBe(204);
    const account = String(
      (await query("SELECT Id FROM Account WHERE Name = 'Café Société'")).json<QueryPage>()
        .records[0]?.Id,
    );
    const etag = String((await call(`${API}/sobjects/Account/${account}`)).headers.etag);
    expect(etag).toMatch(/^".+"$/);
    expect(
      (
        await call(`${API}/sobjects/Account/${account}`, {
          method: 'PATCH',
          body: { Phone: '+1 415 555 0100' },
          headers: { 'if-match': etag },
        })
      ).status,
    ).toBe(204);
    expectError(
      await call(`${API}/sobjects/Account/${account}`, {
        method: 'PATCH',
        body: { Phone: '+1 415 555 0199' },
        headers: { 'if-match': etag },
      }),
      412,
      'PRECONDITION_FAILED',
    );
    expect((await call(`${API}/sobjects/Account/${account}?fields=Phone`)).json()).toMatchObject({
      Phone: '+1 415 555 0100',
    });
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED once the daily API allocation is used up', async () => {
    const usage = String((await call(`${API}/limits`)).headers['sforce-limit-info']);
    const used = Number(/=(\d+)\//.exec(usage)?.[1]);
    sandbox.faults.set('salesforce', { dailyApiRequests: used + 1 });
    try {
      expect((await call(`${API}/limits`)).json()).toMatchObject({
        DailyApiRequests: { Max: used + 1, Remaining: 0 },
      });
      const refused = await query('SELECT Id FROM Task LIMIT 1');
      expect([refused.status, refused.json(), refused.headers['retry-after']]).toEqual([
        403,
        [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
        undefined,
      ]);
      expect(refused.headers['sforce-limit-info']).toBe(`api-usage=${used + 1}/${used + 1}`);
      // The versions list does not count and still answers.
      expect((await call('/services/data/', { token: undefined })).status).toBe(200);
    } finally {
      sandbox.faults.reset();
    }
    expect((await query('SELECT Id FROM Task LIMIT 1')).status).toBe(200);
  });

  it("refuses a query locator that is unknown or another user's", async () => {
    const first = (
      await query(myOpenTasks(), { 'sforce-query-options': 'batchSize=200' })
    ).json<QueryPage>();
    const megan = sandbox.salesforce.issueTokens({
      environment: 'production',
      user: MEGAN,
    }).accessToken;
    expectError(
      await call(first.nextRecordsUrl ?? '', { token: megan }),
      400,
      'INVALID_QUERY_LOCATOR',
    );
    expectError(await call(`${API}/query/01gAAAAAAAAAAAA-200`), 400, 'INVALID_QUERY_LOCATOR');
    expect((await call(first.nextRecordsUrl ?? '')).status).toBe(200);
  });

  it('opens <instance_url>/<id> on the record page', async () => {
    const task = String((await query(`${myOpenTasks()} LIMIT 1`)).json<QueryPage>().records[0]?.Id);
    const link = await call(`/${task}`, { token: undefined });
    expect([link.status, link.headers.location]).toEqual([302, `/lightning/r/Task/${task}/view`]);
    expect((await call(`/lightning/r/Task/${task}/view`, { token: undefined })).text).toContain(
      '<h1>',
    );
  });
});
