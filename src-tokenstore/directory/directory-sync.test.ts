import { basename, dirname } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src-sandbox/start-sandbox';
import {
  USER_INACTIVE_MESSAGE,
  type DirectoryUser,
  type SyncRun,
} from '../../src-shared/tokenstore/directory-api';
import { startSyncWith } from '../admin-console/directory-source';
import type { AuditEntry } from '../../src-shared/tokenstore/api';
import { createUpstreamSend, type UpstreamSend } from '../auth/https-fetch';
import { directoryServicesOf, startTokenStore, type RunningTokenStore } from '../start-token-store';
import { httpsJson, type TestResponse } from '../test/https-client';
import { newOid, startTestIdp, TENANT_A, type TestIdp, type TestUser } from '../test/test-idp';
import { directoryBackends } from './test/directory-db';

const backends = await directoryBackends('directory sync against the sandbox on PostgreSQL');
const NOWHERE = 'https://nowhere.invalid';
const SECRET = 'TOKENSTORE_DIRECTORY_SECRET';
const SECRET_ID = 'TOKENSTORE_DIRECTORY_SECRET_ID';

/** A gate the stores' first request to Entra ID or Dataverse waits at, so a run is surely under way. */
function gate(): { send: (inner: UpstreamSend) => UpstreamSend; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { send: (inner) => async (request) => (await opened, inner(request)), open };
}

describe('directory sync against the sandbox', () => {
  let sandbox: Sandbox;
  let idp: TestIdp;
  beforeAll(async () => {
    sandbox = await startSandbox();
    idp = await startTestIdp();
  });
  afterAll(async () => {
    await idp?.stop();
    await sandbox?.stop();
  });

  for (const backend of backends) {
    describe(`on ${backend.name}`, () => {
      const admin: TestUser = { tid: TENANT_A, oid: newOid(), admin: true };
      let first: RunningTokenStore;
      let second: RunningTokenStore;
      const waits: number[] = [];
      /** What the injected sleep does besides recording the wait (a test may lift a fault there). */
      let onWait: () => void = () => undefined;
      /** Sees every request the first store sends to Entra ID or Dataverse (a test may add a fault there). */
      let beforeSend: (url: string) => void = () => undefined;
      const firstGate = gate();
      const secondGate = gate();

      const start = (send: (inner: UpstreamSend) => UpstreamSend) =>
        startTokenStore({
          tls: { cert: idp.tls.serverCert, key: idp.tls.serverKey },
          auth: idp.authConfig(),
          logger: false,
          extraOrigins: [...sandbox.dataverse.orgUrls, sandbox.entra.origin, NOWHERE],
          ...backend.options,
          directory: {
            env: {
              [SECRET]: sandbox.directory.clientSecret,
              [SECRET_ID]: sandbox.directory.clientSecretId,
              TOKENSTORE_DIRECTORY_WEBHOOK_KEY: 'webhook-key-0001',
            },
            secretsDir: dirname(sandbox.directory.files.privateKey),
            tickMs: 0,
            send: send(createUpstreamSend(sandbox.tls.caCert)),
            limits: { maxThrottleWaits: 2, maxRetryAfterMs: 60_000, timeoutMs: 10_000 },
            sleep: async (ms) => {
              waits.push(ms);
              onWait();
            },
          },
        });
      const call = async (
        store: RunningTokenStore,
        user: TestUser,
        method: string,
        path: string,
        body?: unknown,
        headers: Record<string, string> = {},
      ): Promise<TestResponse> =>
        httpsJson(`${store.url}${path}`, {
          method,
          ca: idp.tls.caCert,
          body,
          headers: { authorization: `Bearer ${await idp.mint(user)}`, ...headers },
        });
      const settings = (over: Record<string, unknown> = {}) => ({
        enabled: true,
        orgUrl: sandbox.dataverse.orgUrl,
        tenantId: sandbox.directory.tenantId,
        clientId: sandbox.directory.clientId,
        authorityHost: sandbox.entra.origin,
        credential: { kind: 'secret', secret: { from: 'env', name: SECRET } },
        pageSize: 7,
        webhookKey: { from: 'env', name: 'TOKENSTORE_DIRECTORY_WEBHOOK_KEY' },
        ...over,
      });
      const configure = async (over: Record<string, unknown> = {}) =>
        expect(
          (await call(first, admin, 'PUT', '/v1/admin/directory/settings', settings(over))).status,
        ).toBe(200);
      /** "Sync now" on the first store, then the run it recorded once it is over. */
      const syncNow = async (body: Record<string, unknown> = {}): Promise<SyncRun> => {
        const answer = await call(first, admin, 'POST', '/v1/admin/directory/sync', body);
        expect(answer.status).toBe(202);
        await directoryServicesOf(first.app).sync.whenIdle();
        const runs = (await call(first, admin, 'GET', '/v1/admin/directory/runs?limit=1')).body as {
          runs: SyncRun[];
        };
        return runs.runs[0]!;
      };
      const contoso = () => sandbox.directory.org('contoso');
      const people = () =>
        contoso()
          .rows('systemuser')
          .filter((row) => !row.applicationid && Number(row.accessmode) !== 4);
      const usersPage = async (query = '') =>
        (await call(first, admin, 'GET', `/v1/admin/directory/users?limit=200${query}`)).body as {
          users: DirectoryUser[];
          total: number;
        };

      beforeAll(async () => {
        first = await start((inner) =>
          firstGate.send(async (request) => {
            beforeSend(request.url);
            return inner(request);
          }),
        );
        second = await start(secondGate.send);
      });
      afterAll(async () => {
        await first?.stop();
        await second?.stop();
        await backend.cleanup();
      });
      beforeEach(() => {
        waits.length = 0;
        onWait = () => undefined;
        beforeSend = () => undefined;
        sandbox.faults.reset();
      });

      it('runs exactly one sync when two store instances are asked at once, and records it', async () => {
        await configure();
        const answers = await Promise.all(
          [first, second].map((store) =>
            call(store, admin, 'POST', '/v1/admin/directory/sync', {}),
          ),
        ).finally(() => {
          firstGate.open();
          secondGate.open();
        });
        const bodies = answers.map(
          (answer) => answer.body as { started: boolean; running: SyncRun | null },
        );
        expect(bodies.map((body) => body.started).sort()).toEqual([false, true]);
        const winner = bodies.find((body) => body.started)!;
        // The instance that did not start answers the run under way on the other one (or none yet,
        // when it looked between the other's lock and its run record).
        expect([winner.running?.id, null]).toContain(
          bodies.find((body) => !body.started)?.running?.id ?? null,
        );
        await Promise.all(
          [first, second].map((store) => directoryServicesOf(store.app).sync.whenIdle()),
        );

        const runs = (await call(second, admin, 'GET', '/v1/admin/directory/runs')).body as {
          runs: SyncRun[];
        };
        expect(runs.runs).toHaveLength(1);
        expect(runs.runs[0]).toMatchObject({
          id: winner.running?.id,
          kind: 'full',
          trigger: 'manual',
          status: 'succeeded',
          created: people().length,
          updated: 0,
          deactivated: 0,
          error: null,
        });
        const listed = await usersPage();
        expect(listed.total).toBe(people().length);
        expect(listed.users.map((user) => user.objectId).sort()).toEqual(
          people()
            .map((row) => String(row.azureactivedirectoryobjectid).toLowerCase())
            .sort(),
        );
        const status = (await call(first, admin, 'GET', '/v1/admin/directory/status')).body as {
          users: { active: number };
          groups: number;
          lastRun: SyncRun;
        };
        expect(status.users.active).toBe(people().length);
        expect(status.groups).toBe(contoso().rows('team').length);
        expect(status.lastRun.id).toBe(winner.running?.id);
      });

      it('admits a member of a synced Entra group team to a group audience', async () => {
        const groups = (await call(first, admin, 'GET', '/v1/admin/directory/groups?search=sales'))
          .body as {
          groups: { teamId: string; objectId: string; memberCount: number }[];
        };
        const sales = groups.groups[0]!;
        expect(sales.memberCount).toBeGreaterThan(0);
        const memberRow = contoso()
          .rows('teammembership')
          .find((row) => String(row.teamid).toLowerCase() === sales.teamId)!;
        const person = contoso().find('systemuser', String(memberRow.systemuserid))!;
        const member: TestUser = {
          tid: TENANT_A,
          oid: String(person.azureactivedirectoryobjectid),
        };
        const { integrationCatalog } = await import('../../src-shared/integrations/catalog');
        let integration: string | undefined;
        for (const entry of integrationCatalog) {
          const saved = await call(first, admin, 'PUT', `/v1/admin/integrations/${entry.id}`, {
            enabled: true,
            audience: { kind: 'groups', groups: [sales.objectId] },
            settings: {},
          });
          if (saved.status === 200) {
            integration = entry.id;
            break;
          }
        }
        const me = await call(second, member, 'GET', '/v1/me/integrations');
        expect(
          (me.body as { integrations: { id: string }[] }).integrations.map((i) => i.id),
        ).toEqual([integration]);
      });

      it('makes a user disabled in Dynamics inactive: blobs deleted at once, every route answers user_inactive', async () => {
        const person = people()[1]!;
        const user: TestUser = { tid: TENANT_A, oid: String(person.azureactivedirectoryobjectid) };
        const { integrationCatalog } = await import('../../src-shared/integrations/catalog');
        const id = integrationCatalog.find((entry) => entry.id)!.id;
        for (const entry of integrationCatalog)
          await call(first, admin, 'PUT', `/v1/admin/integrations/${entry.id}`, {
            enabled: true,
            audience: { kind: 'all' },
            settings: {},
          });
        const put = await call(
          second,
          user,
          'PUT',
          `/v1/blobs/${id}/device-0001`,
          { blob: 'YmxvYg' },
          {
            'if-none-match': '*',
          },
        );
        expect(put.status).toBe(200);
        contoso().updatePerson(String(person.systemuserid), { isdisabled: true });
        const run = await syncNow({ full: true });
        expect(run).toMatchObject({
          status: 'succeeded',
          kind: 'full',
          deactivated: 1,
          updated: 1,
        });
        const read = await call(second, user, 'GET', `/v1/blobs/${id}/device-0001`);
        expect(read.status).toBe(403);
        expect(read.body).toMatchObject({
          error: { code: 'user_inactive', message: USER_INACTIVE_MESSAGE },
        });
        const inactive = await usersPage('&status=inactive');
        expect(inactive.users.map((u) => [u.systemUserId, u.inactiveReason])).toEqual([
          [String(person.systemuserid).toLowerCase(), 'disabled'],
        ]);
        contoso().updatePerson(String(person.systemuserid), { isdisabled: false });
        expect(await syncNow({ full: true })).toMatchObject({ updated: 1, deactivated: 0 });
        expect((await call(second, user, 'GET', `/v1/blobs/${id}/device-0001`)).status).toBe(404);
      });

      it("runs the console's Sync now as a delta once a full read saved its link, deactivating a disabled user", async () => {
        firstGate.open(); // run alone (-t), nothing has opened it yet
        await configure();
        await syncNow({ full: true });
        const person = people()[3]!;
        contoso().updatePerson(String(person.systemuserid), { isdisabled: true });
        const started = await startSyncWith(directoryServicesOf(first.app).sync)(TENANT_A);
        expect(started).toMatchObject({ started: true });
        await directoryServicesOf(first.app).sync.whenIdle();
        const runs = (await call(first, admin, 'GET', '/v1/admin/directory/runs?limit=1')).body as {
          runs: SyncRun[];
        };
        expect(runs.runs[0]).toMatchObject({
          id: started.runId,
          kind: 'delta',
          trigger: 'manual',
          status: 'succeeded',
          updated: 1,
          deactivated: 1,
        });
        // The audit says who was turned off, by the sync, and what changed.
        const audit = (await call(first, admin, 'GET', '/v1/admin/audit?limit=500')).body as {
          entries: AuditEntry[];
        };
        const oid = String(person.azureactivedirectoryobjectid).toLowerCase();
        expect(
          audit.entries.filter(
            (entry) => entry.action === 'directory.user.deactivated' && entry.targetUserId === oid,
          ),
        ).toEqual([
          expect.objectContaining({
            actorId: 'directory-sync',
            tenantId: TENANT_A,
            outcome: 200,
            detail: {
              before: { status: 'active' },
              after: { status: 'inactive', reason: 'disabled', blobs: 'deleted' },
            },
          }),
        ]);
        contoso().updatePerson(String(person.systemuserid), { isdisabled: false });
        expect(await syncNow({ full: true })).toMatchObject({ updated: 1, deactivated: 0 });
      });

      it('signs in with the certificate, read from the secrets folder', async () => {
        await configure({
          credential: {
            kind: 'certificate',
            privateKey: { from: 'file', name: basename(sandbox.directory.files.privateKey) },
            certificate: { from: 'file', name: basename(sandbox.directory.files.certificate) },
          },
        });
        expect(await syncNow({ full: true })).toMatchObject({ status: 'succeeded', error: null });
      });

      it('syncs one user on "Sync now" for that user', async () => {
        await configure();
        const person = people()[2]!;
        contoso().updatePerson(String(person.systemuserid), {
          title: `Renamed for one on ${backend.name}`,
        });
        const run = await syncNow({ user: String(person.azureactivedirectoryobjectid) });
        expect(run).toMatchObject({
          kind: 'user',
          trigger: 'manual',
          target: String(person.azureactivedirectoryobjectid).toLowerCase(),
          status: 'succeeded',
          updated: 1,
        });
        const found = await usersPage(`&search=${encodeURIComponent(String(person.domainname))}`);
        expect(found.users.map((user) => user.title)).toEqual([
          `Renamed for one on ${backend.name}`,
        ]);
      });

      it('takes a webhook call with its key (?code= or the header) and syncs the user it names', async () => {
        await configure();
        const person = people()[3]!;
        contoso().updatePerson(String(person.systemuserid), {
          title: `Changed by webhook on ${backend.name}`,
        });
        const body = {
          MessageName: 'Update',
          PrimaryEntityName: 'systemuser',
          PrimaryEntityId: String(person.systemuserid),
          InputParameters: [],
        };
        const post = (path: string, headers: Record<string, string> = {}) =>
          httpsJson(`${second.url}${path}`, { method: 'POST', ca: idp.tls.caCert, body, headers });
        const wrong = await post(`/v1/directory/webhook/${TENANT_A}?code=not-the-key`);
        expect(wrong.status).toBe(401);
        expect((await post(`/v1/directory/webhook/${TENANT_A}`)).status).toBe(401);
        const byCode = await post(`/v1/directory/webhook/${TENANT_A}?code=webhook-key-0001`);
        expect(byCode.status).toBe(202);
        const byHeader = await post(`/v1/directory/webhook/${TENANT_A}`, {
          'x-workstation-webhook-key': 'webhook-key-0001',
        });
        expect(byHeader.status).toBe(202);
        await directoryServicesOf(second.app).sync.whenIdle();
        await directoryServicesOf(first.app).sync.whenIdle();
        const runs = (await call(first, admin, 'GET', '/v1/admin/directory/runs?limit=2')).body as {
          runs: SyncRun[];
        };
        expect(runs.runs.map((run) => [run.kind, run.trigger, run.target, run.status])).toEqual([
          ['user', 'webhook', String(person.systemuserid).toLowerCase(), 'succeeded'],
          ['user', 'webhook', String(person.systemuserid).toLowerCase(), 'succeeded'],
        ]);
        const found = await usersPage(`&search=${encodeURIComponent(String(person.domainname))}`);
        expect(found.users.map((user) => user.title)).toEqual([
          `Changed by webhook on ${backend.name}`,
        ]);
      });

      it('runs on schedule: a tenant never synced is due, then again everyHours after its last run', async () => {
        let clock = Date.now();
        const scheduled = await startTokenStore({
          tls: { cert: idp.tls.serverCert, key: idp.tls.serverKey },
          auth: idp.authConfig(),
          logger: false,
          extraOrigins: [sandbox.dataverse.orgUrl, sandbox.entra.origin],
          ...backend.options,
          now: () => clock,
          directory: {
            env: { [SECRET]: sandbox.directory.clientSecret },
            tickMs: 0,
            extraCa: sandbox.tls.caCert,
          },
        });
        try {
          const { repository, runs, sync } = directoryServicesOf(scheduled.app);
          const tid = newOid();
          const { directorySettingsSchema } =
            await import('../../src-shared/tokenstore/directory-api');
          await repository.putSettings(
            tid,
            admin.oid,
            directorySettingsSchema([sandbox.dataverse.orgUrl, sandbox.entra.origin]).parse(
              settings({ everyHours: 24 }),
            ),
            clock,
          );
          await sync.tick();
          expect((await runs.listRuns(tid)).map((run) => [run.trigger, run.status])).toEqual([
            ['schedule', 'succeeded'],
          ]);
          expect((await runs.state(tid)).nextRunAt).toBe(clock + 24 * 3_600_000);
          clock += 23 * 3_600_000;
          await sync.tick();
          expect(await runs.listRuns(tid)).toHaveLength(1);
          clock += 3_600_000;
          await sync.tick();
          expect(await runs.listRuns(tid)).toHaveLength(2);
        } finally {
          await scheduled.stop();
        }
      });

      it('resumes a paged read that stopped part-way where it stopped', async () => {
        // One user a page: the demo org's five people make five pages.
        await configure({ pageSize: 1 });
        expect(people().length).toBeGreaterThan(3);
        let pages = 0;
        beforeSend = (url) => {
          // Dataverse starts throttling for good after the second page of users.
          if (url.includes('/systemusers') && ++pages === 3)
            sandbox.faults.set('dataverse', { throttleRetryAfterSec: 2 });
        };
        const stopped = await syncNow({ full: true });
        expect(stopped).toMatchObject({ status: 'failed', error: { code: 'throttled' } });
        sandbox.faults.reset();
        const urls: string[] = [];
        beforeSend = (url) => void urls.push(url);
        const resumed = await syncNow({ full: true });
        expect(resumed).toMatchObject({ status: 'succeeded', kind: 'full', deactivated: 0 });
        expect(resumed.note).toMatch(/Resumed/);
        // It started from the saved paging link, not from the first page.
        expect(urls.find((url) => url.includes('/systemusers'))).toContain('skiptoken');
        expect((await usersPage('&status=active')).total).toBe(
          people().filter((row) => !row.isdisabled).length,
        );
      });

      it('reads only the changes after a full run, and reads everything again when the link expired', async () => {
        await configure();
        expect(await syncNow({ full: true })).toMatchObject({ status: 'succeeded', kind: 'full' });
        const [edited, disabled] = [people()[0]!, people()[4]!];
        contoso().updatePerson(String(edited.systemuserid), { title: `Delta on ${backend.name}` });
        contoso().updatePerson(String(disabled.systemuserid), { isdisabled: true });
        const hire = contoso().addPerson({ fullname: `New Hire on ${backend.name}` });
        try {
          const delta = await syncNow();
          expect(delta).toMatchObject({
            status: 'succeeded',
            kind: 'delta',
            created: 1,
            updated: 2,
            deactivated: 1,
          });
          // The hire joined the org's default team: the memberships' own delta says so, and its
          // deletion takes the membership away again.
          const memberCount = async (teamId: string) =>
            (
              (await call(first, admin, 'GET', '/v1/admin/directory/groups?limit=200')).body as {
                groups: { teamId: string; memberCount: number }[];
              }
            ).groups.find((group) => group.teamId === teamId)?.memberCount;
          const membership = contoso()
            .rows('teammembership')
            .find((row) => String(row.systemuserid) === String(hire.systemuserid))!;
          const teamId = String(membership.teamid).toLowerCase();
          const before = (await memberCount(teamId))!;
          contoso().delete('teammembership', String(membership.teammembershipid));
          expect(await syncNow()).toMatchObject({ status: 'succeeded', kind: 'delta' });
          expect(await memberCount(teamId)).toBe(before - 1);
          contoso().delete('systemuser', String(hire.systemuserid));
          expect(await syncNow()).toMatchObject({ kind: 'delta', created: 0, deactivated: 1 });
          const gone = await usersPage(
            `&search=${encodeURIComponent(`New Hire on ${backend.name}`)}`,
          );
          expect(gone.users.map((user) => [user.status, user.inactiveReason])).toEqual([
            ['inactive', 'removed'],
          ]);
          sandbox.directory.changeTracking('contoso').expireAll();
          const fallback = await syncNow();
          expect(fallback).toMatchObject({ status: 'succeeded', kind: 'full', error: null });
          expect(fallback.note).toMatch(/refused the change-tracking link/);
          expect(await syncNow()).toMatchObject({ status: 'succeeded', kind: 'delta' });
        } finally {
          contoso().updatePerson(String(disabled.systemuserid), { isdisabled: false });
        }
      });

      it('takes the calls of a Dataverse webhook on systemuser and syncs the user each names', async () => {
        const hooked = await startTokenStore({
          // The webhook caller trusts the sandbox's CA.
          tls: { cert: sandbox.tls.serverCert, key: sandbox.tls.serverKey },
          auth: idp.authConfig(),
          logger: false,
          extraOrigins: [sandbox.dataverse.orgUrl, sandbox.entra.origin],
          ...backend.options,
          directory: {
            env: { [SECRET]: sandbox.directory.clientSecret },
            secretsDir: dirname(sandbox.directory.files.webhookKey),
            tickMs: 0,
            extraCa: sandbox.tls.caCert,
          },
        });
        const webhooks = sandbox.directory.webhooks('contoso');
        const registered: string[] = [];
        try {
          const { repository, runs, sync } = directoryServicesOf(hooked.app);
          const tid = newOid();
          const { directorySettingsSchema } =
            await import('../../src-shared/tokenstore/directory-api');
          await repository.putSettings(
            tid,
            admin.oid,
            directorySettingsSchema([sandbox.dataverse.orgUrl, sandbox.entra.origin]).parse(
              settings({
                webhookKey: { from: 'file', name: basename(sandbox.directory.files.webhookKey) },
              }),
            ),
            Date.now(),
          );
          const url = `${hooked.url}/v1/directory/webhook/${tid}`;
          registered.push(
            webhooks.register({
              url,
              auth: { authtype: 'WebhookKey', key: sandbox.directory.webhookKey },
              messages: ['Update'],
            }).serviceendpointid,
            webhooks.register({
              url,
              auth: { authtype: 'HttpHeader', headers: { 'x-workstation-webhook-key': 'wrong' } },
              messages: ['Update'],
            }).serviceendpointid,
          );
          const person = people()[3]!;
          contoso().updatePerson(String(person.systemuserid), {
            title: `Webhook on ${backend.name}`,
          });
          await webhooks.idle();
          await sync.whenIdle();
          const delivered = webhooks
            .deliveries()
            .filter((delivery) => registered.includes(delivery.serviceendpointid));
          expect(delivered.map((delivery) => delivery.status).sort()).toEqual([202, 401]);
          expect(
            (await runs.listRuns(tid)).map((run) => [
              run.kind,
              run.trigger,
              run.target,
              run.status,
              run.created,
            ]),
          ).toEqual([
            ['user', 'webhook', String(person.systemuserid).toLowerCase(), 'succeeded', 1],
          ]);
          expect(
            (await repository.userByObjectId(tid, String(person.azureactivedirectoryobjectid)))
              ?.title,
          ).toBe(`Webhook on ${backend.name}`);
        } finally {
          for (const id of registered) webhooks.unregister(id);
          await hooked.stop();
        }
      });

      it('counts a new schedule from the last successful run', async () => {
        await configure();
        expect(await syncNow()).toMatchObject({ status: 'succeeded' });
        await configure({ everyHours: 2 });
        const status = (await call(first, admin, 'GET', '/v1/admin/directory/status')).body as {
          lastSuccessAt: string;
          nextRunAt: string;
        };
        expect(Date.parse(status.nextRunAt) - Date.parse(status.lastSuccessAt)).toBe(2 * 3_600_000);
      });

      it('refuses settings that would name another secret of the server, and non-admins', async () => {
        for (const secret of [
          { from: 'file', name: '../tokenstore.sqlite' },
          { from: 'file', name: '/etc/passwd' },
          { from: 'env', name: 'DATABASE_URL' },
        ]) {
          const refused = await call(
            first,
            admin,
            'PUT',
            '/v1/admin/directory/settings',
            settings({ credential: { kind: 'secret', secret } }),
          );
          expect(refused.status).toBe(400);
          expect(refused.body).toMatchObject({
            error: {
              code: 'invalid_input',
              issues: [{ path: expect.stringContaining('credential') }],
            },
          });
        }
        const user: TestUser = { tid: TENANT_A, oid: newOid() };
        for (const [method, path] of [
          ['GET', '/v1/admin/directory/users'],
          ['GET', '/v1/admin/directory/settings'],
          ['POST', '/v1/admin/directory/sync'],
        ] as const)
          expect(
            (await call(first, user, method, path, method === 'POST' ? {} : undefined)).status,
          ).toBe(403);
      });

      it('honours Retry-After: the whole run waits the time Dataverse asked, then carries on', async () => {
        await configure();
        sandbox.faults.set('dataverse', { throttleRetryAfterSec: 7 });
        onWait = () => sandbox.faults.set('dataverse', { throttleRetryAfterSec: 0 });
        const run = await syncNow({ full: true });
        expect(run).toMatchObject({ status: 'succeeded', error: null });
        expect(waits).toEqual([7000]);
      });

      const failures: [
        string,
        () => void | Promise<void>,
        () => void,
        Partial<NonNullable<SyncRun['error']>>,
      ][] = [
        [
          'a client secret id sent as the secret (AADSTS7000215)',
          () =>
            configure({ credential: { kind: 'secret', secret: { from: 'env', name: SECRET_ID } } }),
          () => undefined,
          { code: 'invalid_client_secret', upstreamCode: 'AADSTS7000215' },
        ],
        [
          'a secret reference the store cannot read',
          () =>
            configure({
              credential: {
                kind: 'secret',
                secret: { from: 'env', name: 'TOKENSTORE_DIRECTORY_NONE' },
              },
            }),
          () => undefined,
          { code: 'credential_unreadable' },
        ],
        [
          'the app missing as an application user (403 0x80072560)',
          async () => {
            await configure();
            contoso().setApplicationUser(sandbox.directory.clientId, { present: false });
          },
          () => contoso().setApplicationUser(sandbox.directory.clientId, { present: true }),
          { code: 'not_application_user', upstreamCode: '0x80072560' },
        ],
        [
          'the application user without its security role (403 0x80040220)',
          async () => {
            await configure();
            contoso().setApplicationUser(sandbox.directory.clientId, { securityRole: false });
          },
          () => contoso().setApplicationUser(sandbox.directory.clientId, { securityRole: true }),
          { code: 'missing_privilege', upstreamCode: '0x80040220' },
        ],
        [
          'an org URL Entra ID knows no resource for (AADSTS500011)',
          () => configure({ orgUrl: NOWHERE }),
          () => undefined,
          { code: 'org_not_found', upstreamCode: 'AADSTS500011' },
        ],
        [
          'throttling that does not stop',
          async () => {
            await configure();
            sandbox.faults.set('dataverse', { throttleRetryAfterSec: 3 });
          },
          () => undefined,
          { code: 'throttled' },
        ],
      ];
      for (const [what, arrange, restore, error] of failures) {
        it(`records ${what} as a clear error in the run`, async () => {
          await arrange();
          try {
            const run = await syncNow({ full: true });
            expect(run.status).toBe('failed');
            expect(run.error).toMatchObject(error);
            expect(run.error?.message.length).toBeGreaterThan(20);
            expect(JSON.stringify(run)).not.toContain(sandbox.directory.clientSecret);
          } finally {
            restore();
          }
        });
      }
    });
  }
});
