import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTokenStore,
  type RunningTokenStore,
  type TokenStoreOptions,
} from '../start-token-store';
import { httpsJson, type TestResponse } from './https-client';
import {
  createTestSchema,
  POSTGRES_URL,
  reportPostgresUnavailable,
  type TestSchema,
} from './postgres-schema';
import { newOid, startTestIdp, TENANT_A, type TestIdp, type TestUser } from './test-idp';

/**
 * The promise an admin relies on: once disabling an integration, narrowing its audience or revoking a
 * user has answered, no read or write of an affected user's blob succeeds, and no write that was
 * already under way leaves a blob behind. Checked with two store instances over one database, the
 * way a company scales the store out.
 */

type DatabaseOptions = Pick<TokenStoreOptions, 'databaseUrl' | 'databaseSchema' | 'sqlitePath'>;

const INTEGRATION = 'salesforce';
// Each device of the user writes to another connection (the last through the two-segment routes,
// connection `default`): a revocation must take every connection of the integration.
const CONNECTIONS = ['production', 'sandbox', undefined] as const;
const blobPath = (device: string, connection: string | undefined) =>
  connection
    ? `/v1/blobs/${INTEGRATION}/${connection}/${device}`
    : `/v1/blobs/${INTEGRATION}/${device}`;
const blobOf = (label: string) => Buffer.from(`ciphertext:${label}`).toString('base64url');
const everyone = { enabled: true, audience: { kind: 'all' }, settings: {} };

function revocationSuite(
  name: string,
  database: () => Promise<DatabaseOptions>,
  cleanup: () => Promise<void>,
  postgres?: TestSchema,
): void {
  describe(`revocation under concurrency on ${name}, two store instances`, () => {
    let idp: TestIdp;
    let first: RunningTokenStore;
    let second: RunningTokenStore;
    const admin: TestUser = { tid: TENANT_A, oid: newOid(), admin: true };
    const tokens = new Map<TestUser, string>();

    const call = async (
      store: RunningTokenStore,
      user: TestUser,
      method: string,
      path: string,
      init: { body?: unknown; headers?: Record<string, string> } = {},
    ): Promise<TestResponse> => {
      let token = tokens.get(user);
      if (!token) tokens.set(user, (token = await idp.mint(user)));
      return httpsJson(`${store.url}${path}`, {
        method,
        ca: idp.tls.caCert,
        body: init.body,
        headers: { authorization: `Bearer ${token}`, ...init.headers },
      });
    };
    const configure = (store: RunningTokenStore, body: unknown) =>
      call(store, admin, 'PUT', `/v1/admin/integrations/${INTEGRATION}`, { body });
    const blobsOf = async (user: TestUser) =>
      Number(
        (
          await first.db.all<{ n: number | string }>(
            'SELECT COUNT(*) AS n FROM blobs WHERE tid = ? AND oid = ? AND integration = ?',
            [user.tid, user.oid, INTEGRATION],
          )
        )[0]?.n,
      );
    const create = (
      store: RunningTokenStore,
      user: TestUser,
      device: string,
      label: string,
      connection = 'sandbox',
    ) =>
      call(store, user, 'PUT', blobPath(device, connection), {
        body: { blob: blobOf(label) },
        headers: { 'if-none-match': '*' },
      });

    beforeAll(async () => {
      idp = await startTestIdp();
      const options = {
        tls: { cert: idp.tls.serverCert, key: idp.tls.serverKey },
        auth: idp.authConfig(),
        logger: false as const,
        ...(await database()),
      };
      first = await startTokenStore(options);
      second = await startTokenStore(options);
    });
    afterAll(async () => {
      await first?.stop();
      await second?.stop();
      await idp?.stop();
      await cleanup();
    });

    it('refuses every request of a dropped user once narrowing or disabling answered, and keeps none of their blobs (30 rounds)', async () => {
      for (let round = 0; round < 30; round += 1) {
        const user: TestUser = { tid: TENANT_A, oid: newOid() };
        const stayer = newOid();
        const [adminVia, otherVia] = round % 4 < 2 ? [first, second] : [second, first];
        expect((await configure(adminVia, everyone)).status).toBe(200);
        expect((await create(otherVia, user, 'device-seed', 'seed')).status).toBe(200);
        expect((await create(otherVia, user, 'device-seed', 'seed', 'production')).status).toBe(
          200,
        );

        // Three of the user's devices hammer both instances with reads and writes while the admin acts.
        let answered = false;
        const outcomes: { status: number; afterAnswer: boolean; what: string }[] = [];
        const device = async (index: number) => {
          const id = `device-${round}-${index}`;
          const connection = CONNECTIONS[index];
          let version: string | undefined;
          let afterwards = 0;
          for (let step = 0; afterwards < 2; step += 1) {
            const afterAnswer = answered;
            const store = (step + index) % 2 === 0 ? first : second;
            const response =
              step % 3 === 2
                ? await call(store, user, 'GET', blobPath(id, connection))
                : await call(store, user, 'PUT', blobPath(id, connection), {
                    body: { blob: blobOf(`${round}-${index}-${step}`) },
                    headers: version ? { 'if-match': `"${version}"` } : { 'if-none-match': '*' },
                  });
            if (response.status === 200 && step % 3 !== 2)
              version = (response.body as { version: string }).version;
            outcomes.push({
              status: response.status,
              afterAnswer,
              what: `${step % 3 === 2 ? 'GET' : 'PUT'} via ${store === first ? 'first' : 'second'}`,
            });
            if (afterAnswer) afterwards += 1;
          }
        };
        const devices = [0, 1, 2].map(device);
        while (outcomes.length < 3 + (round % 5))
          await new Promise((resolve) => setImmediate(resolve));
        const change =
          round % 2 === 0
            ? await configure(adminVia, {
                enabled: true,
                audience: { kind: 'users', users: [stayer] },
                settings: {},
              })
            : await call(adminVia, admin, 'DELETE', `/v1/admin/integrations/${INTEGRATION}`);
        expect(change.status).toBe(200);
        answered = true;
        await Promise.all(devices);

        const late = outcomes.filter((outcome) => outcome.afterAnswer);
        expect(
          late.filter((outcome) => outcome.status !== 403),
          `round ${round}`,
        ).toEqual([]);
        expect(await blobsOf(user), `round ${round}`).toBe(0);
        for (const store of [first, second]) {
          expect((await call(store, user, 'GET', blobPath('device-seed', 'sandbox'))).status).toBe(
            403,
          );
          expect(
            (await call(store, user, 'GET', blobPath('device-seed', 'production'))).status,
          ).toBe(403);
          expect((await create(store, user, 'device-seed', 'after')).status).toBe(403);
          expect((await call(store, user, 'GET', '/v1/me/integrations')).body).toEqual({
            integrations: [],
          });
        }
        expect(await blobsOf(user)).toBe(0);
      }
    });

    it('shows a change on the other instance as soon as it answered', async () => {
      const user: TestUser = { tid: TENANT_A, oid: newOid() };
      expect((await configure(first, everyone)).status).toBe(200);
      expect((await call(second, user, 'GET', '/v1/me/integrations')).body).toEqual({
        integrations: [{ id: INTEGRATION, enabled: true, settings: {} }],
      });
      expect(
        (
          await configure(first, {
            enabled: true,
            audience: { kind: 'users', users: [newOid()] },
            settings: {},
          })
        ).status,
      ).toBe(200);
      expect((await call(second, user, 'GET', '/v1/me/integrations')).body).toEqual({
        integrations: [],
      });
      expect((await create(second, user, 'device-late', 'late')).status).toBe(403);
    });

    if (postgres) {
      /**
       * A PUT that passed its admission check but has not written yet, held there by a lock the test
       * takes on the user's `principals` row (the PUT records the caller's groups between the two).
       */
      const holdBetweenAdmissionAndWrite = async (
        user: TestUser,
        start: () => Promise<TestResponse>,
      ) => {
        const holder = await postgres.client();
        await holder.query('BEGIN');
        await holder.query('SELECT 1 FROM principals WHERE tid = $1 AND oid = $2 FOR UPDATE', [
          user.tid,
          user.oid,
        ]);
        const pid = Number(
          (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid,
        );
        const pending = start();
        // Wait until the store's connection is blocked behind the test's lock (observed, not guessed).
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
        return {
          pending,
          release: async () => {
            await holder.query('COMMIT');
            await holder.end();
          },
        };
      };

      it('refuses a write admitted before a revoke, narrowing or disabling that reaches the database after it answered', async () => {
        for (const change of ['revoke', 'narrow', 'disable'] as const) {
          const user: TestUser = { tid: TENANT_A, oid: newOid() };
          expect((await configure(first, everyone)).status).toBe(200);
          expect((await create(second, user, 'device-seed', 'seed')).status).toBe(200);
          expect((await create(second, user, 'device-seed', 'seed', 'production')).status).toBe(
            200,
          );

          const held = await holdBetweenAdmissionAndWrite(user, () =>
            create(second, user, 'device-inflight', 'in flight'),
          );
          const answer =
            change === 'revoke'
              ? await call(
                  first,
                  admin,
                  'DELETE',
                  `/v1/admin/users/${user.oid}/blobs?integration=${INTEGRATION}`,
                )
              : change === 'narrow'
                ? await configure(first, {
                    enabled: true,
                    audience: { kind: 'users', users: [newOid()] },
                    settings: {},
                  })
                : await call(first, admin, 'DELETE', `/v1/admin/integrations/${INTEGRATION}`);
          expect(answer.status).toBe(200);
          await held.release();
          const inflight = await held.pending;
          expect(inflight.status, change).toBe(403);
          expect(inflight.body).toMatchObject({ error: { code: 'forbidden' } });
          expect(await blobsOf(user), change).toBe(0);
          if (change === 'revoke') {
            // Revoking wipes what the user held; it is not a ban (narrowing the audience is). A write
            // that starts after the revoke answered is admitted again.
            expect((await create(second, user, 'device-next', 'next')).status).toBe(200);
          }
        }
      });
    }
  });
}

const sqliteDir = mkdtempSync(join(tmpdir(), 'ws-ts-race-'));
revocationSuite(
  'SQLite',
  async () => ({ sqlitePath: join(sqliteDir, 'tokenstore.sqlite') }),
  async () => rmSync(sqliteDir, { recursive: true, force: true }),
);

const schema = await createTestSchema();
if (typeof schema === 'string')
  reportPostgresUnavailable('revocation under concurrency on PostgreSQL', schema);
else
  revocationSuite(
    'PostgreSQL',
    async () => ({ databaseUrl: POSTGRES_URL, databaseSchema: schema.name }),
    () => schema.drop(),
    schema,
  );
