import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../db/migrations';
import { SqliteDriver } from '../db/sqlite-driver';
import { ConsoleSessions } from './console-sessions';

const TID = '11111111-1111-4111-8111-111111111111';
const OID = '22222222-2222-4222-8222-222222222222';

describe('console sessions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ws-console-sessions-'));
  let db: SqliteDriver;
  let clock = 1_000_000;
  let sessions: ConsoleSessions;

  beforeAll(async () => {
    db = new SqliteDriver(join(dir, 'store.sqlite'));
    await migrate(db);
    sessions = new ConsoleSessions(db, () => clock, {
      idleMs: 30_000,
      maxMs: 100_000,
      signInMs: 10_000,
    });
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps only a hash of the 256-bit id, and finds the session by the id', async () => {
    const id = await sessions.create({ tid: TID, oid: OID, name: 'Adele' });
    expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    expect(JSON.stringify(await db.all('SELECT * FROM admin_sessions'))).not.toContain(id);
    const found = await sessions.find(id);
    expect(found).toMatchObject({ tid: TID, oid: OID, name: 'Adele' });
    expect(Buffer.from(found?.csrf ?? '', 'base64url')).toHaveLength(32);
    expect(await sessions.find(`${id}x`)).toBeUndefined();
  });

  it('ends a session left idle, and one past its lifetime however busy', async () => {
    const idle = await sessions.create({ tid: TID, oid: OID, name: 'Adele' });
    clock += 29_999;
    expect(await sessions.find(idle)).toBeDefined();
    clock += 29_999;
    expect(await sessions.find(idle)).toBeDefined(); // each use restarts the idle clock
    clock += 30_000;
    expect(await sessions.find(idle)).toBeUndefined();

    const busy = await sessions.create({ tid: TID, oid: OID, name: 'Adele' });
    for (let used = 0; used < 3; used += 1) {
      clock += 25_000;
      expect(await sessions.find(busy)).toBeDefined();
    }
    clock += 25_000;
    expect(await sessions.find(busy)).toBeUndefined();
  });

  it('signs out: the id finds nothing afterwards', async () => {
    const id = await sessions.create({ tid: TID, oid: OID, name: 'Adele' });
    await sessions.end(id);
    expect(await sessions.find(id)).toBeUndefined();
  });

  it('hands a sign-in under way back once, and not after it expired', async () => {
    const pending = { state: 's', verifier: 'v', returnTo: '/admin/audit' };
    const id = await sessions.beginSignIn(pending);
    expect(await sessions.takeSignIn(id)).toEqual(pending);
    expect(await sessions.takeSignIn(id)).toBeUndefined();
    const late = await sessions.beginSignIn(pending);
    clock += 10_001;
    expect(await sessions.takeSignIn(late)).toBeUndefined();
  });
});
