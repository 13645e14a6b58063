import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT_ID } from '../../src-shared/demo-tenant';
import { SearchLimiter } from '../dataverse/search-api';
import { ServiceProtectionLimiter } from '../dataverse/service-protection';
import { startSandbox, type Sandbox } from '../start-sandbox';
import { sandboxFetch } from '../test-support/sandbox-fetch';

describe('Dataverse search limits (https://learn.microsoft.com/power-apps/developer/data-platform/search/overview#service-protection-limits)', () => {
  it('refuses a second request of one user within a second, and counts neither refusal', () => {
    const limiter = new SearchLimiter();
    expect(limiter.admit('alex', 150, 0)).toBeUndefined();
    expect(limiter.admit('alex', 150, 999)).toEqual({ limit: 'per-user', retryAfterSec: 1 });
    expect(limiter.admit('alex', 150, 1000)).toBeUndefined();
  });

  it('refuses the org past its requests per minute, until the oldest turns a minute old', () => {
    const limiter = new SearchLimiter();
    expect(limiter.admit('a', 2, 0)).toBeUndefined();
    expect(limiter.admit('b', 2, 10_000)).toBeUndefined();
    expect(limiter.admit('c', 2, 30_000)).toEqual({ limit: 'per-org', retryAfterSec: 30 });
    expect(limiter.admit('c', 2, 60_000)).toBeUndefined();
  });
});

describe('Dataverse Web API service protection limits (https://learn.microsoft.com/power-apps/developer/data-platform/api-limits)', () => {
  it('refuses a user past the requests of a 5-minute sliding window, with the documented error', () => {
    const limiter = new ServiceProtectionLimiter();
    const limits = { requestsPer5Min: 2, concurrent: 52 };
    for (const at of [0, 1000]) {
      const admitted = limiter.admit('alex', limits, at);
      expect('release' in admitted).toBe(true);
      if ('release' in admitted) admitted.release();
    }
    expect(limiter.admit('alex', limits, 2000)).toEqual({
      limit: 'requests',
      retryAfterSec: 298,
      code: '0x80072322',
      message: 'Number of requests exceeded the limit of 2 over time window of 300 seconds.',
    });
    expect('release' in limiter.admit('megan', limits, 2000)).toBe(true);
    expect('release' in limiter.admit('alex', limits, 300_000)).toBe(true);
  });

  it('refuses a user past the concurrent requests until one of them is done', () => {
    const limiter = new ServiceProtectionLimiter();
    const limits = { requestsPer5Min: 6000, concurrent: 2 };
    const first = limiter.admit('alex', limits, 0);
    limiter.admit('alex', limits, 0);
    expect(limiter.admit('alex', limits, 0)).toMatchObject({
      limit: 'concurrent',
      code: '0x80072326',
      message: 'Number of concurrent requests exceeded the limit of 2.',
    });
    if ('release' in first) first.release();
    expect('release' in limiter.admit('alex', limits, 0)).toBe(true);
  });
});

describe('the sandbox enforces them, with counters per limit', () => {
  let sandbox: Sandbox;
  const users = () => sandbox.users.filter((user) => user.tenantId === DEMO_TENANT_ID);
  const token = (upn: string) =>
    sandbox.mintAccessToken({ user: upn, scope: `${sandbox.dataverse.orgUrl}/user_impersonation` });
  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
  });
  afterAll(async () => sandbox?.stop());

  it('answers 429 with Retry-After once the org used its search requests of the minute', async () => {
    sandbox.faults.set('search', { searchOrgRequestsPerMinute: 2 });
    try {
      sandbox.counters.reset();
      const statuses: number[] = [];
      let retryAfter = '';
      for (const user of users().slice(0, 3)) {
        const response = await sandboxFetch(`${sandbox.dataverse.orgUrl}/api/search/v2.0/query`, {
          ca: sandbox.tls.caCert,
          token: await token(user.upn),
          method: 'POST',
          body: { search: 'contoso' },
        });
        statuses.push(response.status);
        retryAfter = String(response.headers['retry-after'] ?? '');
      }
      expect(statuses).toEqual([200, 200, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(sandbox.counters.snapshot().limits).toEqual({ 'search per-org': 1 });
    } finally {
      sandbox.faults.set('search', { searchOrgRequestsPerMinute: 150 });
    }
  });

  it('answers 429 with the documented body once a user sent the requests of the window', async () => {
    sandbox.faults.set('dataverse', { requestsPer5Min: 2 });
    try {
      sandbox.counters.reset();
      const alex = await token(users()[0]?.upn ?? '');
      const whoAmI = () =>
        sandboxFetch(`${sandbox.dataverse.orgUrl}/api/data/v9.2/WhoAmI`, {
          ca: sandbox.tls.caCert,
          token: alex,
        });
      expect((await whoAmI()).status).toBe(200);
      expect((await whoAmI()).status).toBe(200);
      const refused = await whoAmI();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(200);
      expect(refused.json()).toEqual({
        error: {
          code: '0x80072322',
          message: 'Number of requests exceeded the limit of 2 over time window of 300 seconds.',
        },
      });
      const counts = sandbox.counters.snapshot();
      expect(counts.limits).toEqual({ 'dataverse requests': 1 });
      expect(counts.byStatus['dataverse 429']).toBe(1);
    } finally {
      sandbox.faults.set('dataverse', { requestsPer5Min: 6000 });
    }
  });
});
