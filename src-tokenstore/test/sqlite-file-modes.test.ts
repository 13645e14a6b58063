import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SqlDriver } from '../db/sql-driver';
import { openDatabase } from '../start-token-store';

/** The store's database holds ciphertext and the audit log: nobody but its owner may read it. */

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('the SQLite database files', () => {
  const root = mkdtempSync(join(tmpdir(), 'ws-ts-modes-'));
  const open: SqlDriver[] = [];
  afterAll(async () => {
    for (const db of open) await db.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** Opens (and writes to, so -wal and -shm exist) under the most permissive umask: modes must not depend on it. */
  async function openPermissively(path: string): Promise<void> {
    const previous = process.umask(0);
    try {
      const db = await openDatabase({ sqlitePath: path });
      open.push(db);
      await db.run('INSERT INTO principals (tid, oid, groups, seen_at) VALUES (?, ?, ?, ?)', [
        't',
        'o',
        '[]',
        0,
      ]);
    } finally {
      process.umask(previous);
    }
  }

  it('are created 0600 (database, -wal, -shm) in an existing folder', async () => {
    const path = join(root, 'tokenstore.sqlite');
    await openPermissively(path);
    expect([mode(path), mode(`${path}-wal`), mode(`${path}-shm`)]).toEqual(['600', '600', '600']);
  });

  it('get their missing folders created 0700', async () => {
    const path = join(root, 'data', 'tokenstore', 'tokenstore.sqlite');
    await openPermissively(path);
    expect([mode(join(root, 'data')), mode(join(root, 'data', 'tokenstore')), mode(path)]).toEqual([
      '700',
      '700',
      '600',
    ]);
  });

  it('are tightened to 0600 when they already exist with wider modes', async () => {
    mkdirSync(join(root, 'old'), { mode: 0o755 });
    const path = join(root, 'old', 'tokenstore.sqlite');
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    await openPermissively(path);
    expect([mode(path), mode(`${path}-wal`), mode(`${path}-shm`)]).toEqual(['600', '600', '600']);
    // A folder the operator made is theirs to set.
    expect(mode(join(root, 'old'))).toBe('755');
  });
});
