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

const fileSchema = z.object({ connections: z.array(z.unknown()).max(200) });

/**
 * The user's connections on this device (which orgs and environments), in a small JSON file beside
 * the settings. No secret lives here: tokens are in each connection's encrypted blob. Entries of an
 * integration this build does not know are skipped, not fatal.
 */
export class ConnectionListFile {
  constructor(private readonly path: string) {}

  async read(): Promise<ConnectionEntry[]> {
    const text = await readFile(this.path, 'utf8').catch(() => '');
    if (!text) return [];
    try {
      const file = fileSchema.parse(JSON.parse(text));
      return file.connections.flatMap((item) => {
        const entry = entrySchema.safeParse(item);
        return entry.success ? [entry.data] : [];
      });
    } catch {
      return [];
    }
  }

  async write(connections: readonly ConnectionEntry[]): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify({ connections }, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, this.path);
  }
}
