import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientKey } from '../auth/auth-failure-limiter';
import {
  startTokenStore,
  type RunningTokenStore,
  type TokenStoreOptions,
} from '../start-token-store';
import { httpsJson, type TestResponse } from './https-client';
import { newOid, startTestIdp, TENANT_A, type TestIdp, type TestUser } from './test-idp';

const LIMIT = 3;

/**
 * Authentication answers 401 in the onRequest hook, before the per-user rate limit (a preHandler)
 * runs: without a limit of its own, forged tokens could be tried without end. Failed
 * authentications are counted per client address; over the limit the store answers 429 with
 * Retry-After in seconds (https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3) without looking
 * at the token. Real HTTPS on loopback; the store's clock is moved instead of waiting a minute.
 */
describe('failed authentication is limited per client address', () => {
  let idp: TestIdp;
  const clock = { ms: Date.now() };
  const started: { store: RunningTokenStore; dir: string }[] = [];
  const user: TestUser = { tid: TENANT_A, oid: newOid() };

  const start = async (extra: Partial<TokenStoreOptions> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-ts-authlimit-'));
    const store = await startTokenStore({
      tls: { cert: idp.tls.serverCert, key: idp.tls.serverKey },
      auth: idp.authConfig(),
      sqlitePath: join(dir, 'store.sqlite'),
      logger: false,
      now: () => clock.ms,
      limits: { authFailuresPerMinute: LIMIT },
      ...extra,
    });
    started.push({ store, dir });
    return store;
  };
  const get = async (
    store: RunningTokenStore,
    token: string | undefined,
    headers: Record<string, string> = {},
    path = '/v1/me/integrations',
  ): Promise<TestResponse> =>
    httpsJson(`${store.url}${path}`, {
      ca: idp.tls.caCert,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
  /** A genuine token with its signature replaced: what an attacker guessing signatures sends. */
  const forged = async () => {
    const [header, payload] = (await idp.mint(user)).split('.');
    return `${header}.${payload}.${Buffer.alloc(256, 7).toString('base64url')}`;
  };
  const expectThrottled = (answer: TestResponse) => {
    expect(answer.status).toBe(429);
    expect(answer.body).toMatchObject({ error: { code: 'throttled' } });
    const retryAfter = Number(answer.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    return retryAfter;
  };

  beforeAll(async () => {
    idp = await startTestIdp();
  });
  afterAll(async () => {
    for (const { store, dir } of started) {
      await store.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    await idp?.stop();
  });

  it('answers 429 with Retry-After once an address exceeds its failed authentications, without verifying anything', async () => {
    const store = await start();
    const statuses = [];
    for (let i = 0; i < LIMIT; i += 1) statuses.push((await get(store, await forged())).status);
    expect(statuses).toEqual([401, 401, 401]);
    expectThrottled(await get(store, await forged()));
    // Refused before the token is looked at: a genuine token from the blocked address, or none, gets 429 too.
    expectThrottled(await get(store, await idp.mint(user)));
    expectThrottled(await get(store, undefined));
    // /healthz stays open for the load balancer.
    expect((await get(store, undefined, {}, '/healthz')).status).toBe(200);
  });

  it("does not count a user's successful requests, and admits the address again after the window", async () => {
    const store = await start();
    const token = await idp.mint(user);
    for (let i = 0; i < 3 * LIMIT; i += 1) expect((await get(store, token)).status).toBe(200);
    for (let i = 0; i < LIMIT; i += 1) expect((await get(store, await forged())).status).toBe(401);
    const blockedAt = clock.ms;
    expect(expectThrottled(await get(store, token))).toBe(60);

    clock.ms = blockedAt + 59_000;
    expect(expectThrottled(await get(store, await forged()))).toBe(1);
    clock.ms = blockedAt + 60_000;
    expect((await get(store, token)).status).toBe(200);
    expect((await get(store, await forged())).status).toBe(401);
  });

  it('ignores X-Forwarded-For by default: an attacker cannot pose as many clients', async () => {
    const store = await start();
    for (let i = 0; i < LIMIT; i += 1)
      expect(
        (await get(store, await forged(), { 'x-forwarded-for': `203.0.113.${i + 1}` })).status,
      ).toBe(401);
    expectThrottled(await get(store, await forged(), { 'x-forwarded-for': '203.0.113.200' }));
  });

  it('behind a trusted proxy, limits the client the proxy names, not the proxy', async () => {
    const store = await start({ trustProxy: ['loopback'] });
    const from = (address: string) => ({ 'x-forwarded-for': address });
    for (let i = 0; i < LIMIT; i += 1)
      expect((await get(store, await forged(), from('203.0.113.7'))).status).toBe(401);
    expectThrottled(await get(store, await forged(), from('203.0.113.7')));
    expectThrottled(await get(store, await idp.mint(user), from('203.0.113.7')));
    // Another client through the same proxy is not affected.
    expect((await get(store, await idp.mint(user), from('203.0.113.8'))).status).toBe(200);
    expect((await get(store, await forged(), from('203.0.113.8'))).status).toBe(401);
  });

  it('counts an IPv6 client by its /64, which one subscriber usually holds whole', async () => {
    const store = await start({ trustProxy: ['loopback'] });
    const from = (address: string) => ({ 'x-forwarded-for': address });
    const rotating = ['2001:db8:1:2::a', '2001:db8:1:2:ffff::1', '2001:DB8:1:2:0:0:0:3'];
    for (const address of rotating)
      expect((await get(store, await forged(), from(address))).status).toBe(401);
    expectThrottled(await get(store, await forged(), from('2001:db8:1:2:abcd::9')));
    expect((await get(store, await idp.mint(user), from('2001:db8:1:3::a'))).status).toBe(200);
  });
});

describe('the client key failed authentications are counted by', () => {
  it('is the IPv4 address, also IPv4-mapped, and the /64 of an IPv6 address in any spelling', () => {
    expect(['203.0.113.7', '::ffff:203.0.113.7', '::FFFF:203.0.113.7'].map(clientKey)).toEqual([
      '203.0.113.7',
      '203.0.113.7',
      '203.0.113.7',
    ]);
    const sameSubscriber = [
      '2001:db8:1:2::a',
      '2001:0db8:0001:0002:ffff:0:0:1',
      '2001:DB8:1:2:0:0:0:3',
      '2001:db8:1:2::1%eth0',
      '2001:db8:1:2:1:2:192.0.2.1',
    ];
    expect(new Set(sameSubscriber.map(clientKey))).toEqual(new Set(['2001:db8:1:2::/64']));
    expect(clientKey('2001:db8:1:3::a')).toBe('2001:db8:1:3::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('1::2:3:4:5:192.0.2.1')).toBe('1:0:2:3::/64');
  });
});
