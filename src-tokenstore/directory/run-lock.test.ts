import { afterAll, describe, expect, it } from 'vitest';
import { PostgresDriver } from '../db/postgres-driver';
import type { SqlDriver } from '../db/sql-driver';
import { LeaseRowLock, PostgresAdvisoryLock, type RunLock } from './run-lock';
import { SyncRunRepository } from './sync-run-repository';
import { directoryBackends } from './test/directory-db';

const backends = await directoryBackends('directory run lock on PostgreSQL');

for (const backend of backends) {
  describe(`directory run lock on ${backend.name}`, () => {
    // Two store instances: each its own connections to the one database.
    const opened: SqlDriver[] = [];
    let clock = 1_000;
    const lockOf = (db: SqlDriver, holder: string): RunLock =>
      db instanceof PostgresDriver
        ? new PostgresAdvisoryLock(db)
        : new LeaseRowLock(new SyncRunRepository(db), holder, () => clock, 60_000);
    const open = async () => {
      const db = await backend.open();
      opened.push(db);
      return db;
    };
    afterAll(async () => {
      for (const db of opened) await db.close();
      await backend.cleanup();
    });

    it('lets exactly one of two instances hold a tenant, and the other after release', async () => {
      const [a, b] = [lockOf(await open(), 'a'), lockOf(await open(), 'b')];
      const tid = 't-exclusive';
      const leases = await Promise.all([a.tryAcquire(tid), b.tryAcquire(tid)]);
      const held = leases.filter((lease) => lease !== undefined);
      expect(held).toHaveLength(1);
      await held[0]!.stillHeld();
      // Another tenant is another lock.
      const other = await b.tryAcquire('t-other');
      expect(other).toBeDefined();
      await other!.release();
      expect(await a.tryAcquire(tid)).toBeUndefined();
      expect(await b.tryAcquire(tid)).toBeUndefined();
      await held[0]!.release();
      const next = await b.tryAcquire(tid);
      expect(next).toBeDefined();
      await next!.release();
    });

    it('frees the lock of an instance that died', async () => {
      const tid = 't-dies';
      const dying = await open();
      const survivor = lockOf(await open(), 'survivor');
      const lease = await lockOf(dying, 'dying').tryAcquire(tid);
      expect(lease).toBeDefined();
      expect(await survivor.tryAcquire(tid)).toBeUndefined();
      if (backend.name === 'PostgreSQL') {
        // The instance's connection dies (a crash, a cut network): the server ends the session,
        // and with it the advisory lock.
        await dying.run(
          "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid::bigint = (hashtext(current_schema() || ?)::bigint & 4294967295) AND pid <> pg_backend_pid()",
          [`:${tid}`],
        );
        await expect(lease!.stillHeld()).rejects.toThrow(/lost/);
      } else {
        // The lease expires: nobody renewed it.
        clock += 60_000;
      }
      const taken = await survivor.tryAcquire(tid);
      expect(taken).toBeDefined();
      if (backend.name === 'SQLite') await expect(lease!.stillHeld()).rejects.toThrow(/lost/);
      await lease!.release();
      await taken!.release();
    });
  });
}
