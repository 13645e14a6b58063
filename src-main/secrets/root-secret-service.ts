import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { isWorkstationError } from '../../src-shared/errors';
import { keychainUnavailableMessage } from './keytar-secret-store';
import { MemorySecretStore, type ISecretStore } from './secret-store';

/**
 * Where root secrets are being kept, for the UI's plain-words notice. `notice` says that an entry
 * was damaged and replaced, so blobs sealed under the old one cannot be opened: reconnect.
 */
export type KeychainState =
  | { readonly state: 'available'; readonly notice?: string }
  | { readonly state: 'unavailable'; readonly message: string };

/** What the user reads after a damaged keychain entry was replaced. */
export const keychainReplacedNotice =
  "Workstation's keychain entry was damaged and has been replaced; reconnect your integrations.";

const PROBE_ACCOUNT = 'workstation-probe';

/**
 * The per-user 256-bit root secret ("salt") every local key derives from. Read from the keychain
 * (account `<tenantId>:<userObjectId>`), created with a CSPRNG on first sign-in. If the keychain
 * cannot be used, it says so and keeps the secret in memory for this run: never a plaintext file.
 */
export class RootSecretService {
  #store: ISecretStore;
  #state: KeychainState = { state: 'available' };
  // One get-or-create per account at a time: two racing first sign-ins would otherwise each create
  // a secret, and one of them would seal under a secret the keychain no longer holds.
  readonly #inFlight = new Map<string, Promise<Buffer>>();

  constructor(
    keychain: ISecretStore,
    private readonly logger: Logger,
    private readonly fallback: ISecretStore = new MemorySecretStore(),
  ) {
    this.#store = keychain;
  }

  get keychain(): KeychainState {
    return this.#state;
  }

  /** Tries the keychain once (a real read); switches to memory-only if it does not answer. */
  async probe(): Promise<KeychainState> {
    try {
      await this.#store.get(PROBE_ACCOUNT);
    } catch (error) {
      this.#fallBack(error);
    }
    return this.#state;
  }

  /** The root secret of `<tenantId>:<userObjectId>`, created on first use. */
  rootSecretFor(tenantId: string, userObjectId: string): Promise<Buffer> {
    const account = `${tenantId}:${userObjectId}`;
    const pending = this.#inFlight.get(account);
    if (pending) return pending;
    const started = this.#rootSecret(account).finally(() => this.#inFlight.delete(account));
    this.#inFlight.set(account, started);
    return started;
  }

  async #rootSecret(account: string): Promise<Buffer> {
    try {
      return await this.#getOrCreate(this.#store, account);
    } catch (error) {
      if (
        this.#store === this.fallback ||
        !isWorkstationError(error) ||
        error.code !== 'keychain_unavailable'
      )
        throw error;
      this.#fallBack(error);
      return this.#getOrCreate(this.#store, account);
    }
  }

  /** Forgets the root secret (the user asked to reset; every blob sealed under it becomes unreadable). */
  async forget(tenantId: string, userObjectId: string): Promise<void> {
    await this.#store.delete(`${tenantId}:${userObjectId}`);
  }

  async #getOrCreate(store: ISecretStore, account: string): Promise<Buffer> {
    const existing = await store.get(account);
    if (existing !== undefined) {
      const secret = Buffer.from(existing, 'base64');
      if (secret.length === 32) return secret;
      // Never the value: it may be a secret of another kind that someone put there.
      this.logger.warn(
        { account },
        'keychain entry is damaged (not a 256-bit secret); replacing it, so blobs sealed under it are lost',
      );
      if (this.#state.state === 'available')
        this.#state = { state: 'available', notice: keychainReplacedNotice };
    }
    const secret = randomBytes(32);
    await store.set(account, secret.toString('base64'));
    return secret;
  }

  #fallBack(error: unknown): void {
    this.logger.warn(
      { reason: isWorkstationError(error) ? error.code : 'unknown' },
      'keychain unavailable; keeping secrets in memory only',
    );
    this.#store = this.fallback;
    this.#state = {
      state: 'unavailable',
      message: isWorkstationError(error) ? error.message : keychainUnavailableMessage,
    };
  }
}
