import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Audience } from '../../src-shared/tokenstore/api';
import {
  createTestSchema,
  POSTGRES_URL,
  reportPostgresUnavailable,
  type TestSchema,
} from '../test/postgres-schema';
import {
  BatchedBlobReads,
  readBlobRow,
  type BlobReadRequest,
  type BlobReadRow,
} from './blob-reads';
import { migrate } from './migrations';
import { PostgresDriver } from './postgres-driver';
import type { QueryOptions, SqlDriver } from './sql-driver';
import { TokenStoreRepository, type Caller } from './token-store-repository';

const TID = randomUUID();
const id = () => randomUUID();

/** The real driver, counting the statements it was given; the first may be held back a while. */
function counted(
  db: PostgresDriver,
  firstHeldUntil?: Promise<void>,
): { driver: SqlDriver; statements: string[] } {
  const statements: string[] = [];
  const driver: SqlDriver = {
    dialect: db.dialect,
    all: async <T extends object>(
      sql: string,
      params?: readonly unknown[],
      options?: QueryOptions,
    ) => {
      statements.push(sql);
      if (statements.length === 1) await firstHeldUntil;
      return db.all<T>(sql, params, options);
    },
    run: (sql, params) => {
      statements.push(sql);
      return db.run(sql, params);
    },
    transaction: (fn) => db.transaction(fn),
    close: () => db.close(),
  };
  return { driver, statements };
}

const schema = await createTestSchema();

if (typeof schema === 'string') {
  reportPostgresUnavailable('batched blob reads on PostgreSQL', schema);
} else {
  describe('batched blob reads on PostgreSQL', () => {
    let db: PostgresDriver;
    let repository: TokenStoreRepository;
    const requests: BlobReadRequest[] = [];

    beforeAll(async () => {
      db = new PostgresDriver(POSTGRES_URL, { schema: (schema as TestSchema).name });
      await migrate(db);
      repository = new TokenStoreRepository(db);
      const listed = id();
      const group = id();
      const revoked = id();
      const inactive = id();
      const now = Date.now();
      const configure = (integration: string, enabled: boolean, audience: Audience) =>
        repository.setIntegration(
          TID,
          'admin',
          integration,
          { enabled, audience, settings: {} },
          now,
        );
      await configure('everyone', true, { kind: 'all' });
      await configure('listed', true, { kind: 'users', users: [listed.toUpperCase()] });
      await configure('grouped', true, { kind: 'groups', groups: [group] });
      await configure('off', false, { kind: 'all' });
      await repository.revokeUser(TID, 'admin', revoked, 'everyone', now);
      await db.run(
        "INSERT INTO directory_users (tid, system_user_id, object_id, full_name, is_disabled, status, synced_at) VALUES (?, ?, ?, 'Gone', 1, 'inactive', ?)",
        [TID, id(), inactive, now],
      );
      const caller = (oid: string, groups: string[] = []): Caller => ({ tid: TID, oid, groups });
      const stored = async (who: Caller, integration: string) => {
        const address = { integration, connection: 'default', deviceId: id() };
        await db.run(
          'INSERT INTO blobs (tid, oid, integration, connection_id, device_id, blob, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [
            who.tid,
            who.oid,
            integration,
            'default',
            address.deviceId,
            `blob of ${who.oid}`,
            'v1',
            now,
          ],
        );
        return { caller: who, address };
      };
      // Upper case: blobs are keyed by the object id as the token states it, admission compares it lower-cased.
      const anyone = caller(id().toUpperCase());
      requests.push(
        await stored(anyone, 'everyone'),
        {
          caller: anyone,
          address: { integration: 'everyone', connection: 'default', deviceId: 'none' },
        },
        await stored(caller(listed), 'listed'),
        await stored(caller(id()), 'listed'),
        await stored(caller(id(), [group.toUpperCase(), id()]), 'grouped'),
        await stored(caller(id(), [id()]), 'grouped'),
        await stored(caller(revoked), 'everyone'),
        await stored(caller(inactive), 'everyone'),
        await stored(caller(id()), 'off'),
        {
          caller: caller(id()),
          address: { integration: 'never-configured', connection: 'default', deviceId: 'd' },
        },
      );
    });

    afterAll(async () => {
      await db?.close();
      await (schema as TestSchema).drop();
    });

    /** Each request alone, through the single-read statement. */
    const alone = async () => {
      const rows: (BlobReadRow | undefined)[] = [];
      for (const request of requests) rows.push(await readBlobRow(db, request));
      return rows;
    };

    function readerOver(driver: PostgresDriver, firstHeldUntil?: Promise<void>) {
      const { driver: countedDriver, statements } = counted(driver, firstHeldUntil);
      return { reads: new BatchedBlobReads(countedDriver), statements };
    }

    it('answers every read of one turn as its single statement would, in one statement', async () => {
      const expected = await alone();
      const { reads, statements } = readerOver(db);
      const batched = await Promise.all(requests.map((request) => reads.read(request)));
      expect(batched).toEqual(expected);
      expect(statements.length).toBe(1);
      // The cases differ where they should: admitted with a blob, without one, and refused.
      const byAdmission = await Promise.all(
        requests.map((request) => repository.readBlob(request.caller, request.address)),
      );
      expect(byAdmission.map((read) => (read.admitted ? Boolean(read.stored) : 'refused'))).toEqual(
        [true, false, true, 'refused', true, 'refused', true, 'refused', 'refused', 'refused'],
      );
    });

    it('sends the reads of several turns that arrive while a statement runs together in the next one', async () => {
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const { reads, statements } = readerOver(db, held);
      const turn = () => new Promise((resolve) => setImmediate(resolve));
      const pending = [reads.read(requests[0]!)];
      await turn();
      expect(statements.length).toBe(1);
      // The first statement is held in flight; reads of three later turns queue behind it.
      for (const request of requests.slice(1, 4)) {
        pending.push(reads.read(request));
        await turn();
      }
      expect(statements.length).toBe(1);
      release();
      const rows = await Promise.all(pending);
      expect(statements.length).toBe(2);
      expect(rows).toEqual((await alone()).slice(0, 4));
    });

    it('fails only the read PostgreSQL refuses, not the others in its batch', async () => {
      const { reads } = readerOver(db);
      const refused: BlobReadRequest = {
        caller: requests[0]!.caller,
        address: { integration: 'everyone', connection: 'default', deviceId: 'nul\u0000byte' },
      };
      const outcomes = await Promise.allSettled(
        [requests[0]!, refused, requests[2]!].map((request) => reads.read(request)),
      );
      expect(outcomes.map((outcome) => outcome.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect((outcomes[0] as PromiseFulfilledResult<BlobReadRow>).value.blob).toMatch(/^blob of /);
    });
  });
}
