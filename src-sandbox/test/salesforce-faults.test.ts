import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../start-sandbox';
import { postForm, signIn, type SalesforceTokens } from '../test-support/salesforce-client';
import { sandboxFetch } from '../test-support/sandbox-fetch';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';
const LIMITS = '/services/data/v64.0/limits';
const INVALID_SESSION = [
  { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
];
const EXPIRED_REFRESH = {
  error: 'invalid_grant',
  error_description: 'expired access/refresh token',
};

describe('Salesforce stand-in: fault knobs and request counters', () => {
  let sandbox: Sandbox;
  const production = () => sandbox.salesforce.environments.production;
  const rest = (token: string, path = LIMITS) =>
    sandboxFetch(`${production().instanceUrl}${path}`, { ca: sandbox.tls.caCert, token });
  const refresh = (refreshToken: string) =>
    postForm(
      `${production().loginUrl}/services/oauth2/token`,
      {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: sandbox.salesforce.clientId,
      },
      sandbox.tls.caCert,
    );
  const issue = () => sandbox.salesforce.issueTokens({ environment: 'production', user: ALEX });

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
  });
  afterEach(() => sandbox.faults.reset());
  afterAll(async () => sandbox?.stop());

  it('throttles the REST API with 403 REQUEST_LIMIT_EXCEEDED and no Retry-After, while sign-in keeps working', async () => {
    // 403 REQUEST_LIMIT_EXCEEDED: https://developer.salesforce.com/docs/platform/api-rest/guide/errorcodes.html
    const tokens = issue();
    sandbox.faults.set('salesforce', { throttleRetryAfterSec: 30 });
    const throttled = await rest(tokens.accessToken);
    expect([throttled.status, throttled.json(), throttled.headers['retry-after']]).toEqual([
      403,
      [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
      undefined,
    ]);
    expect((await refresh(tokens.refreshToken ?? '')).status).toBe(200);
    sandbox.faults.reset();
    sandbox.faults.set('salesforce-oauth', { throttleRetryAfterSec: 3 });
    const oauthThrottled = await refresh(tokens.refreshToken ?? '');
    expect([
      oauthThrottled.status,
      oauthThrottled.headers['retry-after'],
      oauthThrottled.json<{ error: string }>().error,
    ]).toEqual([429, '3', 'temporarily_unavailable']);
    expect((await rest(tokens.accessToken)).status).toBe(200);
  });

  it('fails requests with 503 at the error rate, in each API’s error shape', async () => {
    const tokens = issue();
    sandbox.faults.set('salesforce', { errorRate: 1 });
    const failed = await rest(tokens.accessToken);
    expect([failed.status, failed.json<{ errorCode: string }[]>()[0]?.errorCode]).toEqual([
      503,
      'SERVER_UNAVAILABLE',
    ]);
    sandbox.faults.set('salesforce', { errorRate: 0 });
    sandbox.faults.set('salesforce-oauth', { errorRate: 1 });
    const oauthFailed = await refresh(tokens.refreshToken ?? '');
    expect([oauthFailed.status, oauthFailed.json<{ error: string }>().error]).toEqual([
      503,
      'temporarily_unavailable',
    ]);
  });

  it('adds the configured latency to every answer', async () => {
    const tokens = issue();
    sandbox.faults.set('salesforce', { latencyMs: 150, jitterMs: 20 });
    const started = performance.now();
    expect((await rest(tokens.accessToken)).status).toBe(200);
    // A lower bound only: the delay is at least the latency.
    expect(performance.now() - started).toBeGreaterThanOrEqual(148);
  });

  it('expires every session issued so far with sessionsExpired, until the client refreshes', async () => {
    // Expired sessions answer INVALID_SESSION_ID: https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_concepts_errorhandling.htm
    const tokens = await signIn(sandbox, 'production', ALEX);
    const other = issue();
    expect((await rest(tokens.access_token)).status).toBe(200);
    sandbox.faults.set('salesforce', { sessionsExpired: true });
    for (const accessToken of [tokens.access_token, other.accessToken])
      expect((await rest(accessToken)).json()).toEqual(INVALID_SESSION);
    const fresh = (await refresh(tokens.refresh_token ?? '')).json<SalesforceTokens>();
    expect((await rest(fresh.access_token)).status).toBe(200);
    expect((await rest(tokens.access_token)).status).toBe(401);
  });

  it('revokes every refresh token issued so far with refreshTokensRevoked; new sign-ins work', async () => {
    const tokens = issue();
    sandbox.faults.set('salesforce', { refreshTokensRevoked: true });
    const refused = await refresh(tokens.refreshToken ?? '');
    expect([refused.status, refused.json()]).toEqual([400, EXPIRED_REFRESH]);
    // The access token itself lives on until it expires.
    expect((await rest(tokens.accessToken)).status).toBe(200);
    const again = await signIn(sandbox, 'production', ALEX);
    expect((await refresh(again.refresh_token ?? '')).status).toBe(200);
  });

  it('expires an access token after sessionTimeoutSec without use, each call restarting the clock', async () => {
    // Session timeout, reset by each call: https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_concepts_errorhandling.htm
    sandbox.faults.set('salesforce', { sessionTimeoutSec: 3 });
    const busy = issue();
    const idle = issue();
    await sleep(2000);
    expect((await rest(busy.accessToken)).status).toBe(200);
    await sleep(2000);
    // Four seconds after issue: the idle token is gone, the busy one was used two seconds ago.
    expect((await rest(busy.accessToken)).status).toBe(200);
    expect((await rest(idle.accessToken)).json()).toEqual(INVALID_SESSION);
  });

  it('counts requests per service, status, user and path', async () => {
    const tokens = issue();
    sandbox.counters.reset();
    await rest(tokens.accessToken);
    await rest('garbage');
    await refresh(tokens.refreshToken ?? '');
    await sandboxFetch(`${production().instanceUrl}/services/data/`, { ca: sandbox.tls.caCert });
    const counts = sandbox.counters.snapshot();
    const alexId = production().users.find((user) => user.upn === ALEX)?.userId ?? '';
    expect(counts.byService).toEqual({ salesforce: 3, 'salesforce-oauth': 1 });
    expect(counts.byStatus).toMatchObject({
      'salesforce 200': 2,
      'salesforce 401': 1,
      'salesforce-oauth 200': 1,
    });
    expect(counts.byUser).toMatchObject({
      [`salesforce ${alexId}`]: 1,
      [`salesforce-oauth ${alexId}`]: 1,
      'salesforce anonymous': 2,
    });
    expect(counts.byPath).toMatchObject({
      [`salesforce ${LIMITS}`]: 2,
      'salesforce-oauth /services/oauth2/token': 1,
    });
  });

  it('takes the Salesforce knobs over the admin endpoint', async () => {
    const set = await sandboxFetch(`${sandbox.adminUrl}/faults/salesforce`, {
      ca: sandbox.tls.caCert,
      method: 'POST',
      body: { dailyApiRequests: 0, sessionTimeoutSec: 60 },
    });
    expect(set.json()).toMatchObject({ dailyApiRequests: 0, sessionTimeoutSec: 60 });
    expect((await rest(issue().accessToken)).json()).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    expect(
      (
        await sandboxFetch(`${sandbox.adminUrl}/faults/salesforce`, {
          ca: sandbox.tls.caCert,
          method: 'POST',
          body: { dailyApiRequests: -1 },
        })
      ).status,
    ).toBe(400);
    expect(
      (await sandboxFetch(`${sandbox.adminUrl}/faults`, { ca: sandbox.tls.caCert })).json(),
    ).toMatchObject({
      salesforce: { dailyApiRequests: 0 },
      'salesforce-oauth': { throttleRetryAfterSec: 0 },
    });
  });
});
