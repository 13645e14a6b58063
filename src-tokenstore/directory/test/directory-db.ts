import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlDriver } from '../../db/sql-driver';
import { openDatabase } from '../../start-token-store';
import {
  createTestSchema,
  POSTGRES_URL,
  reportPostgresUnavailable,
} from '../../test/postgres-schema';

/** A backend the directory tests run on: how to open one more connection set, and how to clean up. */
export interface DirectoryBackend {
  readonly name: 'SQLite' | 'PostgreSQL';
  /** Database options for a store instance (each call: the same database). */
  readonly options: { sqlitePath?: string; databaseUrl?: string; databaseSchema?: string };
  open(): Promise<SqlDriver>;
  cleanup(): Promise<void>;
}

/** SQLite in a temporary folder, and PostgreSQL in a fresh schema when the server answers. */
export async function directoryBackends(what: string): Promise<DirectoryBackend[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ws-directory-'));
  const sqlitePath = join(dir, 'tokenstore.sqlite');
  const backends: DirectoryBackend[] = [
    {
      name: 'SQLite',
      options: { sqlitePath },
      open: () => openDatabase({ sqlitePath }),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    },
  ];
  const schema = await createTestSchema();
  if (typeof schema === 'string') reportPostgresUnavailable(what, schema);
  else {
    const options = { databaseUrl: POSTGRES_URL, databaseSchema: schema.name };
    backends.push({
      name: 'PostgreSQL',
      options,
      open: () => openDatabase(options),
      cleanup: () => schema.drop(),
    });
  }
  return backends;
}
