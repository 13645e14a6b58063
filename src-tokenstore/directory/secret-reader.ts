import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretReference } from '../../src-shared/tokenstore/directory-api';
import { SyncFailure } from './sync-failure';

/** Where secret references point: the store's environment and its secrets folder. */
export interface SecretSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `TOKENSTORE_DIRECTORY_SECRETS_DIR`; unset, file references cannot be read. */
  readonly secretsDir?: string;
}

/**
 * Reads the secret a setting names, at the moment it is needed: the database only ever holds the
 * name. The schema already keeps names to `TOKENSTORE_DIRECTORY_*` variables and bare file names
 * (src-shared/tokenstore/directory-api.ts), so a setting cannot reach another secret of the server.
 */
export class SecretReader {
  constructor(private readonly sources: SecretSources) {}

  async read(reference: SecretReference, what: string): Promise<string> {
    if (reference.from === 'env') {
      const value = this.sources.env[reference.name];
      if (value) return value;
      throw new SyncFailure(
        'credential_unreadable',
        `The ${what} is read from the environment variable ${reference.name}, which the token store does not have.`,
      );
    }
    if (!this.sources.secretsDir)
      throw new SyncFailure(
        'credential_unreadable',
        `The ${what} is read from the file ${reference.name}, but TOKENSTORE_DIRECTORY_SECRETS_DIR is not set.`,
      );
    try {
      const value = (await readFile(join(this.sources.secretsDir, reference.name), 'utf8')).trim();
      if (value) return value;
    } catch (error) {
      throw new SyncFailure(
        'credential_unreadable',
        `The ${what} file ${reference.name} cannot be read from the secrets folder.`,
        null,
        { cause: error },
      );
    }
    throw new SyncFailure('credential_unreadable', `The ${what} file ${reference.name} is empty.`);
  }
}
