import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDriver } from '../db/postgres-driver';
import { buildTokenStoreApp, startTokenStore, type RunningTokenStore } from '../start-token-store';
import { httpsJson, type TestResponse } from './https-client';
import { createTestSchema, POSTGRES_URL, reportPostgresUnavailable } from './postgres-schema';
import { newOid, startTestIdp, TENANT_A, type TestIdp, type TestUser } from './test-idp';

/**
 * A database that cannot answer is the store's problem to report, not to hide: routes answer a typed
 * 503 with Retry-After (never hang, never a bare 500), the event loop keeps serving, /healthz says
 * what the database says, and the next request works once the database does.
 */

const admin: TestUser = { tid: TENANT_A, oid: newOid(), admin: true };
const user: TestUser = { tid: TENANT_A, oid: newOid() };
const blob = Buffer.from('ciphertext').toString('base64url');
const everyone = { enabled: true, audience: { kind: 'all' }, settings: {} };

function expectUnavailable(response: TestResponse, what: string): void {
  expect(response.status, what).toBe(503);
  expect(response.body, what).toMatchObject({
    error: { code: 'unavailable', message: expect.any(String), requestId: expect.any(String) },
  });
  expect(Number(response.headers['retry-after']), what).toBeGreaterThan(0);
}

function client(idp: TestIdp, url: () => string) {
  return async (
    who: TestUser | undefined,
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ) =>
    httpsJson(`${url()}${path}`, {
      method,
      ca: idp.tls.caCert,
      body: init.body,
      headers: {
        ...(who ? { authorization: `Bearer ${await idp.mint(who)}` } : {}),
        ...init.headers,
      },
    });
}

describe('a SQLite database another process holds the write lock of', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ws-ts-busy-'));
  const path = join(dir, 'tokenstore.sqlite');
  let idp: TestIdp;
  let store: RunningTokenStore;
  let call: ReturnType<typeof client>;

  beforeAll(async () => {
    idp = await startTestIdp();
    store = await startTokenStore({
      tls: { cert: idp.tls.serverCert, key: idp.tls.serverKey },
      auth: idp.authConfig(),
      logger: false,
      sqlitePath: path,
    });
    call = client(idp, () => store.url);
  });
  afterAll(async () => {
    await store?.stop();
    await idp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 unavailable with Retry-After while the lock is held, keeps serving meanwhile, and works once it is released', async () => {
    expect(
      (await call(admin, 'PUT', '/v1/admin/integrations/dynamics', { body: everyone })).status,
    ).toBe(200);
    const holder = new Database(path);
    holder.exec('BEGIN IMMEDIATE');
    try {
      // A plain write, a transaction and another transaction: each waits for the lock, then gives up.
      const waiting = Promise.all([
        call(user, 'PUT', '/v1/blobs/dynamics/device-0001', {
          body: { blob },
          headers: { 'if-none-match': '*' },
        }),
        call(admin, 'PUT', '/v1/admin/integrations/outlook', { body: everyone }),
        call(admin, 'DELETE', `/v1/admin/users/${user.oid}/blobs`),
      ]);
      let settled = false;
      waiting.then(
        () => (settled = true),
        () => (settled = true),
      );
      // The waiting must not stop the event loop (better-sqlite3 is synchronous): /healthz answers
      // while those requests are still pending.
      let answeredMeanwhile = 0;
      while (!settled) {
        const health = await call(undefined, 'GET', '/healthz');
        expect(health.status).toBe(200);
        if (!settled) answeredMeanwhile += 1;
      }
      const [put, configure, revoke] = await waiting;
      expectUnavailable(put, 'PUT blob');
      expectUnavailable(configure, 'PUT integration');
      expectUnavailable(revoke, 'revoke user');
      expect(answeredMeanwhile).toBeGreaterThanOrEqual(3);
      // Reads do not need the write lock (WAL) and are still served.
      expect((await call(user, 'GET', '/v1/me/integrations')).body).toEqual({
        integrations: [{ id: 'dynamics', enabled: true, settings: {} }],
      });
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    // Nothing was left waiting: the very next requests, transactions included, succeed.
    expect(
      (await call(admin, 'PUT', '/v1/admin/integrations/outlook', { body: everyone })).status,
    ).toBe(200);
    expect(
      (
        await call(user, 'PUT', '/v1/blobs/dynamics/device-0001', {
          body: { blob },
          headers: { 'if-none-match': '*' },
        })
      ).status,
    ).toBe(200);
    expect((await call(admin, 'DELETE', `/v1/admin/users/${user.oid}/blobs`)).body).toEqual({
      deleted: 1,
    });
  });
});

describe('a PostgreSQL server that cannot be reached', () => {
  let idp: TestIdp;
  let db: PostgresDriver;
  let app: FastifyInstance;
  let url = '';

  beforeAll(async () => {
    idp = await startTestIdp();
    // A port nothing listens on: every connection attempt is refused.
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    probe.close();
    await once(probe, 'close');
    db = new PostgresDriver(`postgres://postgres@127.0.0.1:${port}/test`);
    app = await buildTokenStoreApp(
      {
        tls: { cert: idp.tls.serverCert, key: idp.tls.serverKey },
        auth: idp.authConfig(),
        logger: false,
      },
      db,
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `https://localhost:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await idp?.stop();
  });

  it('answers every database route 503 unavailable with Retry-After, and /healthz says so', async () => {
    const call = client(idp, () => url);
    expectUnavailable(await call(user, 'GET', '/v1/me/integrations'), 'me');
    expectUnavailable(await call(user, 'GET', '/v1/blobs/dynamics/device-0001'), 'GET blob');
    expectUnavailable(
      await call(user, 'PUT', '/v1/blobs/dynamics/device-0001', {
        body: { blob },
        headers: { 'if-none-match': '*' },
      }),
      'PUT blob',
    );
    expectUnavailable(
      await call(admin, 'PUT', '/v1/admin/integrations/dynamics', { body: everyone }),
      'PUT integration',
    );
    expectUnavailable(await call(undefined, 'GET', '/healthz'), 'healthz');
  });
});

const schema = await createTestSchema();
if (typeof schema === 'string') {
  reportPostgresUnavailable('PostgreSQL connections terminated under the store', schema);
} else {
  describe('PostgreSQL connections terminated under the store', () => {
    const applicationName = `ws_store_${schema.name}`;
    let idp: TestIdp;
    let store: RunningTokenStore;
    let call: ReturnType<typeof client>;

    beforeAll(async () => {
      idp = await startTestIdp();
      store = await startTokenStore({
        tls: { cert: idp.tls.serverCert, key: idp.tls.serverKey },
        auth: idp.authConfig(),
        logger: false,
        databaseUrl: `${POSTGRES_URL}?application_name=${applicationName}`,
        databaseSchema: schema.name,
      });
      call = client(idp, () => store.url);
    });
    afterAll(async () => {
      await store?.stop();
      await idp?.stop();
      await schema.drop();
    });

    it('answers a query cut off by the server 503, survives its idle connections dying, and serves again', async () => {
      expect(
        (await call(admin, 'PUT', '/v1/admin/integrations/dynamics', { body: everyone })).status,
      ).toBe(200);
      // Concurrent requests leave several idle connections in the pool.
      const warm = await Promise.all(
        Array.from({ length: 10 }, () => call(user, 'GET', '/v1/me/integrations')),
      );
      expect(warm.map((response) => response.status)).toEqual(
        Array.from({ length: 10 }, () => 200),
      );

      // Hold the settings row so an admin change is mid-query, then terminate every connection of the store.
      const holder = await schema.client();
      await holder.query('BEGIN');
      await holder.query("SELECT 1 FROM integrations WHERE integration = 'dynamics' FOR UPDATE");
      const pid = Number(
        (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid,
      );
      const cutOff = call(admin, 'PUT', '/v1/admin/integrations/dynamics', { body: everyone });
      while (
        Number(
          (
            await holder.query<{ n: string }>(
              'SELECT COUNT(*) AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
              [pid],
            )
          ).rows[0]?.n,
        ) === 0
      ) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const terminated = await holder.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [applicationName],
      );
      expect(terminated.rowCount).toBeGreaterThan(1);
      await holder.query('ROLLBACK');
      await holder.end();
      expectUnavailable(await cutOff, 'query cut off');

      // The pool drops the dead connections (an unhandled pool error would crash the process) and reconnects.
      expect((await call(user, 'GET', '/v1/me/integrations')).body).toEqual({
        integrations: [{ id: 'dynamics', enabled: true, settings: {} }],
      });
      expect(
        (await call(admin, 'PUT', '/v1/admin/integrations/dynamics', { body: everyone })).status,
      ).toBe(200);
      expect((await call(undefined, 'GET', '/healthz')).status).toBe(200);
    });
  });
}
