import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreApiSuite } from './store-api-suite';

const dir = mkdtempSync(join(tmpdir(), 'ws-ts-sqlite-'));

runStoreApiSuite({
  name: 'SQLite',
  options: async () => ({ sqlitePath: join(dir, 'tokenstore.sqlite') }),
  cleanup: async () => rmSync(dir, { recursive: true, force: true }),
});
