import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directorySettingsSchema } from '../../src-shared/tokenstore/directory-api';
import type { SqlDriver } from '../db/sql-driver';
import { DirectoryRepository, type SyncedUser } from './directory-repository';
import { SyncRunRepository } from './sync-run-repository';
import { directoryBackends } from './test/directory-db';

const backends = await directoryBackends('directory repository on PostgreSQL');

const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const user = (n: number, extra: Partial<SyncedUser> = {}): SyncedUser => ({
  systemUserId: guid(n),
  objectId: `AAAAAAAA-0000-4000-8000-${String(n).padStart(12, '0')}`,
  fullName: `User ${String(n).padStart(3, '0')}`,
  email: `user${n}@contoso.example`,
  domainName: `user${n}@contoso.example`,
  title: null,
  businessUnitId: null,
  isDisabled: false,
  ...extra,
});

for (const backend of backends) {
  describe(`directory repository on ${backend.name}`, () => {
    let db: SqlDriver;
    let directory: DirectoryRepository;
    let runs: SyncRunRepository;
    const tid = '11111111-1111-4111-8111-111111111111';
    const other = '22222222-2222-4222-8222-222222222222';

    beforeAll(async () => {
      db = await backend.open();
      directory = new DirectoryRepository(db);
      runs = new SyncRunRepository(db);
    });
    afterAll(async () => {
      await db?.close();
      await backend.cleanup();
    });

    const putBlob = (oid: string, integration = 'x-one') =>
      db.run(
        'INSERT INTO blobs (tid, oid, integration, connection_id, device_id, blob, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [tid, oid, integration, 'default', 'device-0001', 'YmxvYg', 'v1', 1],
      );
    const blobsOf = async (oid: string) =>
      Number(
        (
          await db.all<{ n: number }>(
            'SELECT COUNT(*) AS n FROM blobs WHERE tid = ? AND lower(oid) = ?',
            [tid, oid.toLowerCase()],
          )
        )[0]?.n,
      );

    it('keeps settings that only name the credential, with defaults filled in', async () => {
      expect(await directory.getSettings(tid)).toBeUndefined();
      const settings = directorySettingsSchema().parse({
        enabled: true,
        orgUrl: 'https://contoso.crm4.dynamics.com/',
        tenantId: tid,
        clientId: guid(99),
        credential: {
          kind: 'secret',
          secret: { from: 'env', name: 'TOKENSTORE_DIRECTORY_SECRET' },
        },
      });
      await directory.putSettings(tid, 'admin-oid', settings, 1000);
      const stored = await directory.getSettings(tid);
      expect(stored?.settings.orgUrl).toBe('https://contoso.crm4.dynamics.com');
      expect(stored?.settings.everyHours).toBe(168);
      expect(stored?.settings.mapping.objectId).toBe('azureactivedirectoryobjectid');
      expect(stored?.updatedBy).toBe('admin-oid');
      expect(await directory.tenants()).toEqual([tid]);
    });

    it('counts created, updated and deactivated users, and deletes a disabled user’s blobs at once', async () => {
      const first = await directory.applyUsers(
        tid,
        [1, 2, 3].map((n) => user(n)),
        'pass-1',
        10,
      );
      expect(first).toEqual({ created: 3, updated: 0, deactivated: 0 });
      // Same data again: nothing changed.
      expect(await directory.applyUsers(tid, [user(1), user(2)], 'pass-1', 11)).toEqual({
        created: 0,
        updated: 0,
        deactivated: 0,
      });
      await putBlob(user(2).objectId!.toLowerCase());
      await putBlob(user(3).objectId!.toLowerCase());
      const second = await directory.applyUsers(
        tid,
        [user(1, { title: 'Buyer' }), user(2, { isDisabled: true })],
        'pass-1',
        12,
      );
      expect(second).toEqual({ created: 0, updated: 2, deactivated: 1 });
      expect(await blobsOf(user(2).objectId!)).toBe(0);
      expect(await blobsOf(user(3).objectId!)).toBe(1);
      const two = await directory.userByObjectId(tid, user(2).objectId!);
      expect(two).toMatchObject({ status: 'inactive', inactiveReason: 'disabled' });
      // The revocation is recorded like an admin's, so a blob write admitted before it is refused.
      const epochs = await db.all<{ epoch: number }>(
        'SELECT epoch FROM user_revocations WHERE tid = ? AND oid = ?',
        [tid, user(2).objectId!.toLowerCase()],
      );
      expect(epochs.map((row) => Number(row.epoch))).toEqual([1]);
    });

    it('deactivates users a full read did not see, and ignores deletes of unknown ids', async () => {
      await directory.applyUsers(tid, [user(1), user(3)], 'pass-2', 20);
      expect(await directory.deactivateUnseen(tid, 'pass-2', 21)).toBe(0);
      await directory.applyUsers(tid, [user(1)], 'pass-3', 22);
      expect(await directory.deactivateUnseen(tid, 'pass-3', 23)).toBe(1);
      expect(await blobsOf(user(3).objectId!)).toBe(0);
      expect(await directory.userByObjectId(tid, user(3).objectId!)).toMatchObject({
        status: 'inactive',
        inactiveReason: 'removed',
      });
      expect(await directory.removeUsers(tid, [guid(404), user(3).systemUserId], 24)).toBe(0);
      expect(await directory.removeUsers(tid, [user(1).systemUserId], 25)).toBe(1);
      // Seen again (re-enabled, re-added): active again, counted as an update.
      expect(await directory.applyUsers(tid, [user(1)], 'pass-4', 26)).toEqual({
        created: 0,
        updated: 1,
        deactivated: 0,
      });
    });

    it('lists users by name with search, status filter and paging, per tenant', async () => {
      await directory.applyUsers(
        tid,
        Array.from({ length: 30 }, (_, index) => user(100 + index)),
        undefined,
        30,
      );
      await directory.applyUsers(other, [user(500, { fullName: 'Other Tenant' })], undefined, 30);
      const page = await directory.listUsers(tid, { limit: 10, offset: 10, status: 'active' });
      expect(page.total).toBe(31);
      expect(page.users.map((u) => u.fullName)).toEqual(
        Array.from({ length: 10 }, (_, index) => `User ${109 + index}`),
      );
      const found = await directory.listUsers(tid, { search: 'USER12' });
      expect(found.users.map((u) => u.fullName)).toEqual(
        Array.from({ length: 10 }, (_, index) => `User ${120 + index}`),
      );
      // LIKE wildcards in a search are plain characters.
      expect((await directory.listUsers(tid, { search: '%' })).total).toBe(0);
      expect((await directory.listUsers(tid, { status: 'inactive' })).users.length).toBe(2);
      expect(await directory.userCounts(tid)).toEqual({ active: 31, inactive: 2 });
      expect((await directory.listUsers(other)).users.map((u) => u.fullName)).toEqual([
        'Other Tenant',
      ]);
    });

    it('keeps teams and memberships, answers a user’s synced groups, drops what a read did not see', async () => {
      const sales = {
        teamId: guid(900),
        name: 'Sales',
        objectId: 'BBBBBBBB-0000-4000-8000-000000000001',
        teamType: 2,
      };
      const owners = { teamId: guid(901), name: 'Owners', objectId: null, teamType: 0 };
      await directory.applyTeams(tid, [sales, owners], 'teams-1', 40);
      await directory.applyMemberships(
        tid,
        [
          { teamId: sales.teamId, systemUserId: user(1).systemUserId },
          { teamId: owners.teamId, systemUserId: user(1).systemUserId },
          { teamId: sales.teamId, systemUserId: user(100).systemUserId },
        ],
        'teams-1',
      );
      expect(await directory.syncedGroupsOf(tid, user(1).objectId!)).toEqual([
        sales.objectId.toLowerCase(),
      ]);
      expect(await directory.listGroups(tid, { search: 'sal' })).toEqual([
        {
          teamId: sales.teamId,
          name: 'Sales',
          objectId: sales.objectId.toLowerCase(),
          teamType: 2,
          memberCount: 2,
        },
      ]);
      await directory.applyTeams(tid, [sales], 'teams-2', 41);
      await directory.applyMemberships(
        tid,
        [{ teamId: sales.teamId, systemUserId: user(100).systemUserId }],
        'teams-2',
      );
      await directory.dropUnseenTeams(tid, 'teams-2');
      expect(await directory.listGroups(tid)).toMatchObject([{ name: 'Sales', memberCount: 1 }]);
      expect(await directory.syncedGroupsOf(tid, user(1).objectId!)).toEqual([]);
      expect(await directory.groupCount(tid)).toBe(1);
    });

    it('records runs newest first, abandons what a dead holder left running', async () => {
      const first = await runs.startRun(tid, { kind: 'full', trigger: 'manual', holder: 'a' }, 50);
      await runs.finishRun(
        first,
        {
          status: 'failed',
          created: 1,
          updated: 2,
          deactivated: 3,
          requests: 4,
          error: { code: 'invalid_client_secret', message: 'bad', upstreamCode: 'AADSTS7000215' },
        },
        51,
      );
      const second = await runs.startRun(
        tid,
        { kind: 'delta', trigger: 'schedule', holder: 'b' },
        52,
      );
      expect((await runs.runningRun(tid))?.id).toBe(second);
      expect(await runs.abandonRunning(tid, 53)).toBe(1);
      const list = await runs.listRuns(tid);
      expect(list.map((run) => [run.id, run.status])).toEqual([
        [second, 'abandoned'],
        [first, 'failed'],
      ]);
      expect(list[1]).toMatchObject({
        created: 1,
        updated: 2,
        deactivated: 3,
        requests: 4,
        error: { code: 'invalid_client_secret', upstreamCode: 'AADSTS7000215' },
      });
    });

    it('keeps state, queues per-user requests, and leases to one holder at a time', async () => {
      await runs.saveState(tid, { deltaLink: 'https://x/delta', nextRunAt: 100 }, 60);
      await runs.saveState(tid, { resumeLink: 'https://x/next' }, 61);
      expect(await runs.state(tid)).toMatchObject({
        deltaLink: 'https://x/delta',
        resumeLink: 'https://x/next',
        nextRunAt: 100,
      });
      expect(await runs.dueTenants(99)).toEqual([]);
      expect(await runs.dueTenants(100)).toEqual([tid]);

      await runs.enqueueUser(
        tid,
        { target: guid(1), targetKind: 'systemuser', trigger: 'webhook' },
        70,
      );
      expect(await runs.tenantsWithRequests()).toEqual([tid]);
      expect((await runs.takeRequests(tid)).map((r) => r.target)).toEqual([guid(1)]);
      expect(await runs.hasRequests(tid)).toBe(false);

      const both = await Promise.all([
        runs.tryLease(tid, 'a', 1000, 500),
        runs.tryLease(tid, 'b', 1000, 500),
      ]);
      expect(both.filter(Boolean)).toHaveLength(1);
      const winner = both[0] ? 'a' : 'b';
      const loser = both[0] ? 'b' : 'a';
      expect(await runs.renewLease(tid, loser, 1100, 500)).toBe(false);
      expect(await runs.renewLease(tid, winner, 1100, 500)).toBe(true);
      expect(await runs.tryLease(tid, loser, 1599, 500)).toBe(false);
      // Expired (the holder died): another may take it, and the old holder knows it lost it.
      expect(await runs.tryLease(tid, loser, 1600, 500)).toBe(true);
      expect(await runs.renewLease(tid, winner, 1601, 500)).toBe(false);
      await runs.releaseLease(tid, loser);
      expect(await runs.tryLease(tid, winner, 1602, 500)).toBe(true);
    });
  });
}
