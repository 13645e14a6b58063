import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDriver } from '../db/sql-driver';
import { buildTokenStoreApp, openDatabase } from '../start-token-store';
import { newOid, startTestIdp, TENANT_A, type TestIdp } from './test-idp';

describe('rate limiting per user', () => {
  let idp: TestIdp;
  let app: FastifyInstance;
  let db: SqlDriver;
  const dir = mkdtempSync(join(tmpdir(), 'ws-ts-rate-'));

  beforeAll(async () => {
    idp = await startTestIdp();
    db = await openDatabase({ sqlitePath: join(dir, 'store.sqlite') });
    app = await buildTokenStoreApp(
      {
        tls: { cert: idp.tls.serverCert, key: idp.tls.serverKey },
        auth: idp.authConfig(),
        logger: false,
        limits: { requestsPerMinute: 3 },
      },
      db,
    );
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await idp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 429 with Retry-After once a user exceeds the limit, keyed by tid:oid not by IP', async () => {
    const ann = await idp.mint({ tid: TENANT_A, oid: newOid() });
    const bob = await idp.mint({ tid: TENANT_A, oid: newOid() });
    const get = (token: string) =>
      app.inject({
        method: 'GET',
        url: '/v1/me/integrations',
        headers: { authorization: `Bearer ${token}` },
      });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await get(ann)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await get(ann);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ error: { code: 'throttled' } });
    // Same IP, another user: not limited.
    expect((await get(bob)).statusCode).toBe(200);
    // /healthz is never limited.
    for (let i = 0; i < 5; i += 1)
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
