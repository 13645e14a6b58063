import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BlobKey, TokenStoreClient } from '../secrets/token-store-client';

/** Where one encrypted MSAL cache lives: the remote token store, or a local file. */
export interface IBlobStore {
  read(): Promise<string | undefined>;
  /** Writes `blob`; remote stores resolve races by letting the freshest write win. */
  write(blob: string): Promise<void>;
  remove(): Promise<void>;
}

/** One connection's blob in the token store, for this device (one row, overwritten, no history). */
export class RemoteBlobStore implements IBlobStore {
  constructor(
    private readonly client: TokenStoreClient,
    private readonly key: BlobKey,
  ) {}

  async read(): Promise<string | undefined> {
    return (await this.client.getBlob(this.key))?.blob;
  }

  async write(blob: string): Promise<void> {
    // The cache just serialized is the freshest this device has; on a lost race it replaces the
    // other write rather than merging tokens from two MSAL states (only this device writes here).
    await this.client.compareAndSwap(this.key, () => blob);
  }

  async remove(): Promise<void> {
    await this.client.deleteBlob(this.key);
  }
}

/** A blob in a local file (the Workstation session's own cache: it cannot live in the store it unlocks). */
export class LocalFileBlobStore implements IBlobStore {
  constructor(private readonly path: string) {}

  async read(): Promise<string | undefined> {
    try {
      return (await readFile(this.path, 'utf8')).trim() || undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async write(blob: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.tmp`;
    await writeFile(temp, blob, { mode: 0o600 });
    await rename(temp, this.path);
  }

  async remove(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
