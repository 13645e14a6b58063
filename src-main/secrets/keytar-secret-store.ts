import { createRequire } from 'node:module';
import { workstationError } from '../../src-shared/errors';
import type { ISecretStore } from './secret-store';

/** The keytar API (`@github/keytar`, GitHub's maintained fork of keytar). */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** Loads the native keytar module; its absence (a missing libsecret) is a keychain problem, not a crash. */
export function loadKeytar(): KeytarApi {
  try {
    return createRequire(import.meta.url)('@github/keytar') as KeytarApi;
  } catch (error) {
    throw workstationError('keychain_unavailable', keychainUnavailableMessage, {}, error);
  }
}

/** What the user reads when there is no keychain. */
export const keychainUnavailableMessage =
  'Your system keychain is not available, so Workstation cannot keep you signed in across restarts. It works until you quit; on Linux, install and start a Secret Service (GNOME Keyring or KWallet).';

/**
 * Maps what keytar/libsecret throw to a typed error. Seen here: "Could not connect: No such file or
 * directory" (no D-Bus session), "Cannot create an item in a locked collection" (keyring locked),
 * "The name org.freedesktop.secrets was not provided by any .service files" (no Secret Service).
 */
function keychainError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return workstationError(
    'keychain_unavailable',
    /locked collection/i.test(message)
      ? 'Your system keychain is locked. Unlock it (log in again) and retry.'
      : keychainUnavailableMessage,
    {},
    error,
  );
}

/** Secrets in the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux). */
export class KeytarSecretStore implements ISecretStore {
  readonly kind = 'keychain' as const;

  constructor(
    private readonly service: string,
    private readonly keytar: KeytarApi = loadKeytar(),
  ) {}

  async get(account: string): Promise<string | undefined> {
    try {
      return (await this.keytar.getPassword(this.service, account)) ?? undefined;
    } catch (error) {
      throw keychainError(error);
    }
  }

  async set(account: string, secret: string): Promise<void> {
    try {
      await this.keytar.setPassword(this.service, account, secret);
    } catch (error) {
      throw keychainError(error);
    }
  }

  async delete(account: string): Promise<boolean> {
    try {
      return await this.keytar.deletePassword(this.service, account);
    } catch (error) {
      throw keychainError(error);
    }
  }
}
