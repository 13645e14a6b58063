import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../src-sandbox/start-sandbox';
import { createAuthorizedHttpClient } from '../../auth/token-injector';
import type { ITasksSource } from '../integration-descriptor';
import { localDate } from './map-salesforce';
import { SalesforceApi } from './salesforce-api';
import { mapSalesforceError } from './salesforce-errors';
import { soqlString } from './soql';
import {
  firstUser,
  salesforceConnection,
  type SalesforceConnection,
} from './test/salesforce-connection';

const taskIdOf = (url: string) =>
  /\/lightning\/r\/Task\/(\w{18})\/view$/.exec(new URL(url).pathname)?.[1] ?? '';

// Query: https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query.html
// Update a record: https://developer.salesforce.com/docs/platform/api-rest/guide/dome-update-fields.html
describe('Salesforce tasks against the stand-in', () => {
  let sandbox: Sandbox;
  let production: SalesforceConnection;
  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
    production = await salesforceConnection(sandbox, 'production');
  });
  afterAll(async () => sandbox?.stop());

  const apiOf = (
    connection: SalesforceConnection,
    environment: 'production' | 'sandbox' = 'production',
  ) =>
    new SalesforceApi(
      createAuthorizedHttpClient({
        displayName: connection.displayName,
        tokenSource: connection.auth,
        baseURL: sandbox.salesforce.environments[environment].instanceUrl,
        extraCa: sandbox.tls.caCert,
        mapError: (failure) => mapSalesforceError(failure, connection.displayName),
      }),
    );
  const tasksOf = async (connection: SalesforceConnection): Promise<ITasksSource> => {
    const tasks = await connection.connection.tasks();
    if (!tasks) throw new Error('no tasks source');
    return tasks;
  };
  const openTasksSoql = (userId: string) =>
    `SELECT Id, ActivityDate FROM Task WHERE OwnerId = ${soqlString(userId)} AND IsClosed = false`;

  it('follows nextRecordsUrl until the query is done', async () => {
    const user = firstUser(sandbox, 'production');
    sandbox.counters.reset();
    const rows = (await apiOf(production).query(openTasksSoql(user.userId), {
      batchSize: 200,
    })) as { Id: string }[];
    // The first sample user owns more open tasks than one batch of 200 holds.
    expect(rows.length).toBeGreaterThan(200);
    expect(new Set(rows.map((row) => row.Id)).size).toBe(rows.length);
    expect(sandbox.counters.snapshot().byService.salesforce).toBe(Math.ceil(rows.length / 200));
    expect(
      await apiOf(production).query(openTasksSoql(user.userId), {
        batchSize: 200,
        maxRecords: 250,
      }),
    ).toHaveLength(250);
  });

  it("lists the user's open tasks, earliest due first and undated last, at most 200", async () => {
    const user = firstUser(sandbox, 'production');
    const open = (await apiOf(production).query(openTasksSoql(user.userId))) as {
      Id: string;
      ActivityDate: string | null;
    }[];
    const tasks = await (await tasksOf(production)).list();
    expect(tasks).toHaveLength(Math.min(200, open.length));
    const ids = new Set(open.map((row) => row.Id));
    const today = localDate(Date.now());
    for (const task of tasks) {
      expect(task.id).toMatch(/^task:[\w-]{22}$/);
      expect(ids.has(taskIdOf(task.url))).toBe(true);
      expect(task.id).not.toContain(taskIdOf(task.url).slice(0, 15));
      expect(new URL(task.url).origin).toBe(sandbox.salesforce.environments.production.instanceUrl);
      expect(['low', 'normal', 'high']).toContain(task.priority);
      const due = task.dueAt ? localDate(Date.parse(task.dueAt)) : undefined;
      expect(task.overdue).toBe(due !== undefined && due < today);
    }
    const dues = tasks.map((task) => (task.dueAt ? Date.parse(task.dueAt) : Infinity));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    expect(tasks.some((task) => task.overdue)).toBe(true);
    expect(
      tasks.some(
        (task) =>
          task.regarding?.entityType === 'account' || task.regarding?.entityType === 'opportunity',
      ),
    ).toBe(true);
  });

  it('lists the sandbox org on its own', async () => {
    const connection = await salesforceConnection(sandbox, 'sandbox');
    const tasks = await (await tasksOf(connection)).list();
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks) {
      expect(task.subject.endsWith(' (sandbox)')).toBe(true);
      expect(new URL(task.url).origin).toBe(sandbox.salesforce.environments.sandbox.instanceUrl);
    }
  });

  it('completes a task: Salesforce closes it and it leaves the list', async () => {
    const source = await tasksOf(production);
    const [first] = await source.list();
    if (!first) throw new Error('no open task');
    await source.complete(first.id);
    const row = (await apiOf(production).query(
      `SELECT Status, IsClosed FROM Task WHERE Id = ${soqlString(taskIdOf(first.url))}`,
    )) as { Status: string; IsClosed: boolean }[];
    expect(row[0]).toMatchObject({ Status: 'Completed', IsClosed: true });
    const after = await source.list();
    expect(after.some((task) => task.id === first.id || task.url === first.url)).toBe(false);
    await expect(source.complete(first.id)).rejects.toMatchObject({
      code: 'not_found',
      message: 'That task is no longer in the list; refresh it.',
    });
  });

  it('answers a missing record and a refused value as outcomes the caller words', async () => {
    const api = apiOf(production);
    expect(await api.update('Task', '00T000000000000AAA', { Status: 'Completed' })).toEqual({
      ok: false,
      status: 404,
      errorCode: 'NOT_FOUND',
    });
    const [task] = await (await tasksOf(production)).list();
    expect(await api.update('Task', taskIdOf(task?.url ?? ''), { Status: 'Not a status' })).toEqual(
      { ok: false, status: 400, errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' },
    );
  });

  it('asks who the user is again after the session expired, renewing it once', async () => {
    const connection = await salesforceConnection(sandbox, 'production');
    sandbox.faults.set('salesforce', { sessionsExpired: true });
    try {
      sandbox.counters.reset();
      expect((await (await tasksOf(connection)).list()).length).toBeGreaterThan(0);
      // UserInfo (403 Bad_OAuth_Token), the REST probe (401, then renewed and retried), UserInfo, the query.
      expect(sandbox.counters.snapshot().byPath['salesforce-oauth /services/oauth2/token']).toBe(1);
    } finally {
      sandbox.faults.set('salesforce', { sessionsExpired: false });
    }
  });

  it('says the org is throttling when it answers REQUEST_LIMIT_EXCEEDED', async () => {
    sandbox.faults.set('salesforce', { dailyApiRequests: 0 });
    try {
      await expect((await tasksOf(production)).list()).rejects.toMatchObject({ code: 'throttled' });
    } finally {
      sandbox.faults.set('salesforce', { dailyApiRequests: 100_000 });
    }
  });
});
