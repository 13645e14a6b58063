import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../start-sandbox';
import { sandboxFetch } from '../test-support/sandbox-fetch';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';

describe('Dataverse search, Graph calendarView, fault knobs and counters', () => {
  let sandbox: Sandbox;
  let dataverse: string;
  let graph: string;
  const search = (body: unknown, path = '/api/search/v2.0/query', token = dataverse) =>
    sandboxFetch(`${sandbox.dataverse.orgUrl}${path}`, {
      ca: sandbox.tls.caCert,
      token,
      method: 'POST',
      body,
    });
  const calendar = (query: string, headers: Record<string, string> = {}, token = graph) =>
    sandboxFetch(`${sandbox.graph.baseUrl}/me/calendarView?${query}`, {
      ca: sandbox.tls.caCert,
      token,
      headers,
    });
  const windowQuery = (hours: number) =>
    `startDateTime=${new Date().toISOString()}&endDateTime=${new Date(Date.now() + hours * 3600_000).toISOString()}`;

  beforeAll(async () => {
    // Search limits off here, except in the one test about them, so tests do not wait a second each.
    sandbox = await startSandbox({ size: 'small', faults: { search: { searchLimits: false } } });
    dataverse = await sandbox.mintAccessToken({
      user: ALEX,
      scope: `${sandbox.dataverse.orgUrl}/user_impersonation`,
    });
    graph = await sandbox.mintAccessToken({
      user: ALEX,
      scope: 'https://graph.microsoft.com/Calendars.Read',
    });
  });
  afterAll(async () => sandbox?.stop());

  it('answers the documented searchquery shape: a JSON string inside "response", with {crmhit} highlights', async () => {
    const entities = JSON.stringify([
      {
        Name: 'contact',
        SelectColumns: ['fullname', 'emailaddress1'],
        SearchColumns: ['fullname'],
      },
      { name: 'account' },
    ]);
    for (const path of ['/api/search/v2.0/query', '/api/data/v9.2/searchquery']) {
      const response = await search({ search: "o'brien", entities, top: 5, count: true }, path);
      expect(response.status).toBe(200);
      const outer = response.json<{ response: string }>();
      expect(typeof outer.response).toBe('string');
      const inner = JSON.parse(outer.response) as {
        Error: null;
        Value: {
          Id: string;
          EntityName: string;
          ObjectTypeCode: number;
          Attributes: Record<string, unknown>;
          Highlights: Record<string, string[]>;
          Score: number;
        }[];
        Count: number;
      };
      expect(inner.Error).toBeNull();
      expect(inner.Count).toBeGreaterThan(0);
      const first = inner.Value[0];
      expect(first).toMatchObject({
        EntityName: 'contact',
        ObjectTypeCode: 0,
        Attributes: { '@search.objecttypecode': 2 },
      });
      expect(String(first?.Attributes.fullname)).toContain("O'Brien");
      expect(
        Object.values(first?.Highlights ?? {})
          .flat()
          .join(),
      ).toContain('{crmhit}');
      expect(inner.Value.map((hit) => hit.Score)).toEqual(
        [...inner.Value.map((hit) => hit.Score)].sort((a, b) => b - a),
      );
    }
  });

  it('answers 0x80048d0b when search is switched off for the org, so clients fall back', async () => {
    sandbox.faults.set('search', { searchDisabled: true });
    try {
      const response = await search({ search: 'contoso' });
      expect(response.status).toBe(400);
      expect(response.json()).toEqual({
        error: {
          code: '0x80048d0b',
          message: 'Dataverse Search feature is disabled for this organization.',
        },
      });
    } finally {
      sandbox.faults.set('search', { searchDisabled: false });
    }
  });

  it('enforces 1 request per second per user with 429 and Retry-After', async () => {
    sandbox.faults.set('search', { searchLimits: true });
    try {
      const first = await search({ search: 'contoso' });
      const second = await search({ search: 'contoso ltd' });
      expect(first.status).toBe(200);
      expect(second.status).toBe(429);
      expect(Number(second.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      const other = await sandbox.mintAccessToken({
        user: 'megan.bowen@contoso-sample.onmicrosoft.com',
        scope: `${sandbox.dataverse.orgUrl}/user_impersonation`,
      });
      expect((await search({ search: 'contoso' }, '/api/search/v2.0/query', other)).status).toBe(
        200,
      );
    } finally {
      sandbox.faults.set('search', { searchLimits: false });
    }
  });

  it('serves calendarView for a required window, with online meetings, links in bodies, cancelled and declined events', async () => {
    expect((await calendar('')).json()).toMatchObject({ error: { code: 'ErrorInvalidParameter' } });
    const response = await calendar(`${windowQuery(36)}&$top=50&$orderby=start/dateTime`, {
      prefer: 'outlook.timezone="UTC"',
    });
    expect(response.status).toBe(200);
    const events = response.json<{ value: Record<string, unknown>[] }>().value;
    expect(events.length).toBeGreaterThanOrEqual(6);
    expect(
      events.some((event) =>
        (event.onlineMeeting as { joinUrl?: string } | null)?.joinUrl?.includes('/l/meetup-join/'),
      ),
    ).toBe(true);
    expect(events.some((event) => event.isCancelled === true)).toBe(true);
    expect(
      events.some(
        (event) => (event.responseStatus as { response: string }).response === 'declined',
      ),
    ).toBe(true);
    expect(
      events.some((event) =>
        JSON.stringify(event.body).includes('safelinks.protection.outlook.com'),
      ),
    ).toBe(true);
    expect(events.some((event) => event.isAllDay === true)).toBe(true);
    const start = (events[0]?.start as { dateTime: string; timeZone: string }) ?? {
      dateTime: '',
      timeZone: '',
    };
    expect(start.dateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.0000000$/);
    expect(start.timeZone).toBe('UTC');
  });

  it('pages calendarView with an absolute $skip nextLink and converts Prefer: outlook.timezone', async () => {
    const first = await calendar(`${windowQuery(48)}&$top=3`);
    const body = first.json<{ value: { id: string }[]; '@odata.nextLink': string }>();
    expect(body.value).toHaveLength(3);
    expect(new URL(body['@odata.nextLink']).searchParams.get('$skip')).toBe('3');
    const pacific = await calendar(`${windowQuery(48)}&$top=1&$select=subject,start`, {
      prefer: 'outlook.timezone="Pacific Standard Time"',
    });
    expect(
      pacific.json<{ value: { start: { timeZone: string } }[] }>().value[0]?.start.timeZone,
    ).toBe('Pacific Standard Time');
    expect(
      Object.keys(pacific.json<{ value: Record<string, unknown>[] }>().value[0] ?? {}).sort(),
    ).toEqual(['@odata.etag', 'id', 'start', 'subject']);
  });

  it('answers Graph auth errors in Graph shape', async () => {
    expect((await calendar(windowQuery(4), {}, '')).json()).toMatchObject({
      error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' },
    });
    const userRead = await sandbox.mintAccessToken({
      user: ALEX,
      scope: 'https://graph.microsoft.com/User.Read',
    });
    expect((await calendar(windowQuery(4), {}, userRead)).status).toBe(403);
  });

  it('injects throttling and latency per service and counts requests per service, user and path', async () => {
    sandbox.counters.reset();
    sandbox.faults.set('graph', { throttleRetryAfterSec: 2.5 });
    try {
      const throttled = await calendar(windowQuery(4));
      expect(throttled.status).toBe(429);
      expect(throttled.headers['retry-after']).toBe('2.5');
      expect(throttled.json()).toMatchObject({ error: { code: 'TooManyRequests' } });
    } finally {
      sandbox.faults.set('graph', { throttleRetryAfterSec: 0 });
    }
    await calendar(windowQuery(4));
    const counts = sandbox.counters.snapshot();
    expect(counts.byService.graph).toBe(2);
    expect(counts.byStatus['graph 429']).toBe(1);
    expect(counts.byPath['graph /v1.0/me/calendarView']).toBe(2);
    const alexOid = sandbox.users.find((user) => user.upn === ALEX)?.oid ?? '';
    expect(counts.byUser[`graph ${alexOid}`]).toBe(1);
  });

  it('exposes the knobs and counters over the local admin endpoint', async () => {
    const set = await sandboxFetch(`${sandbox.adminUrl}/faults/dataverse`, {
      ca: sandbox.tls.caCert,
      method: 'POST',
      body: { latencyMs: 5, jitterMs: 1 },
    });
    expect(set.json()).toMatchObject({ latencyMs: 5, jitterMs: 1 });
    const refused = await sandboxFetch(`${sandbox.adminUrl}/faults/dataverse`, {
      ca: sandbox.tls.caCert,
      method: 'POST',
      body: { latencyMs: -1 },
    });
    expect(refused.status).toBe(400);
    const disabled = await sandboxFetch(`${sandbox.adminUrl}/dataverse/search-enabled`, {
      ca: sandbox.tls.caCert,
      method: 'POST',
      body: { enabled: false },
    });
    expect(disabled.json()).toEqual({ enabled: false });
    expect((await search({ search: 'contoso' })).status).toBe(400);
    await sandboxFetch(`${sandbox.adminUrl}/faults/reset`, {
      ca: sandbox.tls.caCert,
      method: 'POST',
      body: {},
    });
    sandbox.faults.set('search', { searchLimits: false });
    expect(
      (await sandboxFetch(`${sandbox.adminUrl}/counters`, { ca: sandbox.tls.caCert })).json(),
    ).toMatchObject({ total: expect.any(Number) });
  });
});
