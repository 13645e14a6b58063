/** A place for small secrets keyed by account: the OS keychain, or memory when there is none. */
export interface ISecretStore {
  /** `keychain` persists across restarts; `memory` is gone when the app quits. */
  readonly kind: 'keychain' | 'memory';
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

/** Keychain service names per environment, so development never clobbers a real install. */
export const keychainServiceNames = {
  production: 'Workstation',
  development: 'Workstation Dev',
  test: 'Workstation Test',
} as const;

/** Holds secrets in this process only: the test double, and the fallback when no keychain exists. */
export class MemorySecretStore implements ISecretStore {
  readonly kind = 'memory' as const;
  readonly #secrets = new Map<string, string>();

  async get(account: string): Promise<string | undefined> {
    return this.#secrets.get(account);
  }

  async set(account: string, secret: string): Promise<void> {
    this.#secrets.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    return this.#secrets.delete(account);
  }
}
