import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The database holds ciphertext and the audit log, so only its owner may read it. Modes passed to
 * mkdir/open are filtered by the process umask; the chmod after each makes them exact.
 */
const FOLDER_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * Before SQLite opens `path`: creates missing folders 0700 (a folder that already exists is the
 * operator's to set) and the database file 0600, or tightens an existing one to 0600. On unix SQLite
 * creates -wal and -shm with the database file's permissions
 * (https://sqlite.org/src/info/e5d180ee), so they follow.
 */
export function prepareDatabaseFile(path: string): void {
  if (path === '' || path === ':memory:') return;
  const folder = dirname(resolve(path));
  const firstCreated = mkdirSync(folder, { recursive: true, mode: FOLDER_MODE });
  if (firstCreated !== undefined) {
    for (let created = folder; ; created = dirname(created)) {
      chmodSync(created, FOLDER_MODE);
      if (created === firstCreated || dirname(created) === created) break;
    }
  }
  // 'a' creates the file if it is missing and never truncates one that exists.
  closeSync(openSync(path, 'a', FILE_MODE));
  chmodSync(path, FILE_MODE);
}

/** After SQLite opened `path`: a -wal or -shm left by an earlier run with wider modes is tightened too. */
export function tightenDatabaseFiles(path: string): void {
  if (path === '' || path === ':memory:') return;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) chmodSync(file, FILE_MODE);
  }
}
