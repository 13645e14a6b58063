import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { Logger } from 'pino';
import { isWorkstationError } from '../../src-shared/errors';
import { EnvelopeError, type Envelope, type EnvelopeContext } from '../secrets/envelope';
import type { IBlobStore } from './blob-store';

/** What the plugin tells its owner. */
export interface CachePluginEvents {
  /**
   * The stored blob cannot be used here: it did not authenticate (new keychain, reinstall; it was
   * deleted) or is damaged (kept, and replaced by the next save). Either way: reconnect.
   */
  onLost(): void;
  /** The stored blob was written by a newer Workstation: it was left in place and is never overwritten. */
  onNewer(): void;
  /** Saving failed (store unreachable); tokens stay in memory and are saved at the next change. */
  onSaveFailed(error: unknown): void;
}

/**
 * MSAL's cache seam (ICachePlugin): the serialized cache is decrypted from its blob before the first
 * access and encrypted and written back after any access that changed it. The plaintext cache
 * only ever exists in this process's memory.
 * https://learn.microsoft.com/entra/msal/javascript/node/caching
 */
export class EncryptedCachePlugin implements ICachePlugin {
  // MSAL clears its in-memory cache before silent lookups and expects the plugin to deserialize on
  // every access (TokenCache.overwriteCache), so the decrypted JSON is kept here after the first
  // read instead of fetching and decrypting the blob each time.
  #snapshot: string | undefined;
  #loaded = false;
  // A newer build's blob: reads stop (no loop of failures) and writes would destroy it.
  #newer = false;

  constructor(
    private readonly store: IBlobStore,
    private readonly envelope: Envelope,
    private readonly context: EnvelopeContext,
    private readonly events: CachePluginEvents,
    private readonly logger: Logger,
  ) {}

  async beforeCacheAccess(cacheContext: TokenCacheContext): Promise<void> {
    if (this.#loaded) {
      if (this.#snapshot !== undefined) cacheContext.tokenCache.deserialize(this.#snapshot);
      return;
    }
    let blob: string | undefined;
    try {
      blob = await this.store.read();
    } catch (error) {
      // Unreachable store: work from memory now and try again at the next access.
      this.logger.warn(
        { reason: isWorkstationError(error) ? error.code : 'unknown' },
        'token cache could not be loaded',
      );
      return;
    }
    this.#loaded = true;
    if (blob === undefined) return;
    try {
      this.#snapshot = this.envelope.open(blob, this.context).toString('utf8');
      cacheContext.tokenCache.deserialize(this.#snapshot);
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      if (error.reason === 'unsupported_version') {
        // Another device or a newer install of this one can still read it: never delete what we
        // cannot read only because it is newer.
        this.logger.warn(
          { reason: error.reason, integration: this.context.integration },
          'token cache was written by a newer Workstation; leaving it in place',
        );
        this.#newer = true;
        this.events.onNewer();
        return;
      }
      if (error.reason === 'authentication_failed') {
        // The salt that sealed it is gone: the blob is useless and its refresh token must not linger.
        this.logger.warn(
          { reason: error.reason, integration: this.context.integration },
          'token cache did not authenticate; deleting it',
        );
        await this.store.remove().catch(() => undefined);
      } else {
        this.logger.warn(
          { reason: error.reason, integration: this.context.integration },
          'token cache is damaged; the next save replaces it',
        );
      }
      this.events.onLost();
    }
  }

  /** Whether the stored blob belongs to a newer Workstation (nothing is saved over it). */
  get newer(): boolean {
    return this.#newer;
  }

  async afterCacheAccess(cacheContext: TokenCacheContext): Promise<void> {
    if (!cacheContext.cacheHasChanged || this.#newer) return;
    this.#snapshot = cacheContext.tokenCache.serialize();
    this.#loaded = true;
    try {
      await this.store.write(this.envelope.seal(this.#snapshot, this.context));
    } catch (error) {
      this.events.onSaveFailed(error);
    }
  }

  /** Forgets what was loaded (after disconnect), so the next access reads the store again. */
  reset(): void {
    this.#loaded = false;
    this.#snapshot = undefined;
    this.#newer = false;
  }
}
