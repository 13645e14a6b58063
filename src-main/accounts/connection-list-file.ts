import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { connectionIdSchema, integrationIdSchema } from '../../src-shared/domain/integrations';

const entrySchema = z.object({
  integration: integrationIdSchema,
  connectionId: connectionIdSchema,
  label: z.string().max(80),
  origin: z.string().url(),
});
/** A connection the user added on this device: what it is, never a token. */
export type ConnectionEntry = z.infer<typeof entrySchema>;

/** `{ users: { "<tenant>:<object id>": [...] } }`; `{ connections }` is the file before users were told apart. */
const fileSchema = z.object({
  users: z.record(z.string().max(200), z.array(z.unknown()).max(200)).optional(),
  connections: z.array(z.unknown()).max(200).optional(),
});
type ListFile = z.infer<typeof fileSchema>;

const entriesOf = (items: readonly unknown[] | undefined): ConnectionEntry[] =>
  (items ?? []).flatMap((item) => {
    const entry = entrySchema.safeParse(item);
    return entry.success ? [entry.data] : [];
  });

/** Whose list: `<tenant id>:<object id>` of the signed-in user. */
export const connectionListOwner = (account: { tenantId: string; oid: string }): string =>
  `${account.tenantId}:${account.oid}`.toLowerCase();

/**
 * Each user's connections on this device (which orgs and environments), in a small JSON file beside
 * the settings, keyed by the signed-in user (`<tenant id>:<object id>`), so a second person signing
 * in on a shared device never sees the first one's orgs. No secret lives here: tokens are in each
 * connection's encrypted blob. Entries of an integration this build does not know are skipped.
 */
export class ConnectionListFile {
  constructor(private readonly path: string) {}

  async read(owner: string): Promise<ConnectionEntry[]> {
    const file = await this.#load();
    if (file.users?.[owner]) return entriesOf(file.users[owner]);
    if (!file.connections) return [];
    // The list of a build that did not tell users apart goes to the first user who reads it, once.
    const entries = entriesOf(file.connections);
    await this.#save({ users: { ...file.users, [owner]: entries } });
    return entries;
  }

  async write(connections: readonly ConnectionEntry[], owner: string): Promise<void> {
    const file = await this.#load();
    await this.#save({ users: { ...file.users, [owner]: [...connections] } });
  }

  async #load(): Promise<ListFile> {
    const text = await readFile(this.path, 'utf8').catch(() => '');
    if (!text) return {};
    try {
      return fileSchema.parse(JSON.parse(text));
    } catch {
      return {};
    }
  }

  async #save(file: ListFile): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, this.path);
  }
}
