import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PublicClientApplication, type AccountInfo } from '@azure/msal-node';
import type { Logger } from 'pino';
import { z } from 'zod';
import { workstationError } from '../../src-shared/errors';
import { createEnvelope, type Envelope, type EnvelopeContext } from '../secrets/envelope';
import type { RootSecretService } from '../secrets/root-secret-service';
import { LocalFileBlobStore } from './blob-store';
import { EncryptedCachePlugin } from './encrypted-cache-plugin';
import { mapEntraError } from './entra-errors';
import { signInOpener } from './sign-in-opener';
import { loopbackPages, type IBrowserOpener, type IdentityConfig } from './msal-client-config';

const accountFileSchema = z.object({
  tenantId: z.string(),
  oid: z.string(),
  username: z.string(),
  name: z.string().optional(),
});
/** The signed-in user: ids only (no secret), remembered so the next start knows its keychain entry. */
export type SessionAccount = z.infer<typeof accountFileSchema>;

/** What the session needs. */
export interface WorkstationSessionOptions {
  readonly identity: IdentityConfig;
  /** The token store's scope (`api://<store app id>/access_as_user`). */
  readonly storeScope: string;
  readonly dataDir: string;
  readonly rootSecrets: RootSecretService;
  readonly logger: Logger;
  readonly onChange: () => void;
}

/**
 * The user's sign-in to Workstation itself: its token authenticates every token-store call. Its
 * own MSAL cache is kept in a local file, sealed with the same envelope (it cannot live in the store
 * it unlocks). The root secret is read from the keychain for `<tenantId>:<oid>` after sign-in.
 */
export class WorkstationSession {
  #account: SessionAccount | undefined;
  #envelope: Envelope | undefined;
  #pca: PublicClientApplication | undefined;
  #signingIn = false;
  #deviceId = '';

  constructor(private readonly options: WorkstationSessionOptions) {}

  get account(): SessionAccount | undefined {
    return this.#account;
  }

  get state(): 'signed_out' | 'signing_in' | 'signed_in' {
    return this.#signingIn ? 'signing_in' : this.#account ? 'signed_in' : 'signed_out';
  }

  get deviceId(): string {
    return this.#deviceId;
  }

  /** Reads the device id and the remembered account; reopens the encrypted session cache. */
  async start(): Promise<void> {
    this.#deviceId = await this.#readOrCreateDeviceId();
    const remembered = await readFile(this.#path('account.json'), 'utf8').then(
      (text) => accountFileSchema.safeParse(JSON.parse(text)),
      () => undefined,
    );
    if (!remembered?.success) return;
    await this.#open(remembered.data);
    if (!(await this.#cachedAccount())) {
      // The local cache did not unlock (new keychain) or is gone: start signed out, no loop.
      this.options.logger.warn('session cache unavailable; signed out');
      await this.#forget();
    }
  }

  /** The one interactive sign-in: system browser (or a web-host tab), loopback redirect, PKCE. */
  async signIn(browser: IBrowserOpener): Promise<SessionAccount> {
    this.#signingIn = true;
    this.options.onChange();
    try {
      // The keychain entry is named after the user, so the first sign-in runs on a memory cache.
      const first = new PublicClientApplication({
        auth: {
          clientId: this.options.identity.clientId,
          authority: this.options.identity.authority,
          knownAuthorities: [...this.options.identity.knownAuthorities],
        },
        system: {
          protocolMode: this.options.identity.protocolMode as never,
          networkClient: this.options.identity.network,
        },
      });
      // The browser opens only a page on the configured authority, whatever MSAL hands over.
      const guarded = signInOpener(browser, this.options.identity);
      const result = await first.acquireTokenInteractive({
        scopes: [this.options.storeScope],
        openBrowser: (url) => guarded.open(url, 'sign_in'),
        ...loopbackPages,
      });
      const signedIn = result.account;
      if (!signedIn)
        throw workstationError('upstream_failed', 'Signing in did not return an account.');
      const account: SessionAccount = {
        tenantId: signedIn.tenantId,
        oid: signedIn.localAccountId,
        username: signedIn.username,
        ...(signedIn.name ? { name: signedIn.name } : {}),
      };
      const envelope = createEnvelope(
        await this.options.rootSecrets.rootSecretFor(account.tenantId, account.oid),
      );
      await new LocalFileBlobStore(this.#path('session-cache.bin')).write(
        envelope.seal(first.getTokenCache().serialize(), this.#context(account, 'workstation')),
      );
      await writeFile(this.#path('account.json'), `${JSON.stringify(account)}\n`, { mode: 0o600 });
      await this.#open(account);
      return account;
    } catch (error) {
      throw mapEntraError(error, {
        authority: this.options.identity.authority,
        clientId: this.options.identity.clientId,
        resource: this.options.storeScope.replace(/\/[^/]+$/, ''),
        redirectUri: 'http://localhost',
        integrationName: 'Workstation',
      });
    } finally {
      this.#signingIn = false;
      this.options.onChange();
    }
  }

  /** A token for the store, silently; `needs_sign_in` when the session cannot get one. */
  async getStoreToken(): Promise<string> {
    const account = this.#pca ? await this.#cachedAccount() : undefined;
    if (!this.#pca || !account)
      throw workstationError('needs_sign_in', 'Sign in to Workstation first.');
    try {
      return (await this.#pca.acquireTokenSilent({ account, scopes: [this.options.storeScope] }))
        .accessToken;
    } catch (error) {
      this.options.logger.warn(
        { code: (error as { errorCode?: string }).errorCode },
        'store token refresh failed',
      );
      throw workstationError(
        'needs_sign_in',
        'Your Workstation session has expired. Sign in again.',
      );
    }
  }

  /** The envelope and its context for one integration's blob (same keychain secret, own AAD). */
  sealing(integration: string): { envelope: Envelope; context: EnvelopeContext } {
    if (!this.#envelope || !this.#account)
      throw workstationError('needs_sign_in', 'Sign in to Workstation first.');
    return { envelope: this.#envelope, context: this.#context(this.#account, integration) };
  }

  /**
   * Signs out: the local session cache and the remembered account go. The keychain secret stays,
   * so blobs in the store remain readable when the same user signs in again on this device.
   */
  async signOut(): Promise<void> {
    await this.#forget();
    this.options.onChange();
  }

  async #open(account: SessionAccount): Promise<void> {
    const envelope = createEnvelope(
      await this.options.rootSecrets.rootSecretFor(account.tenantId, account.oid),
    );
    const plugin = new EncryptedCachePlugin(
      new LocalFileBlobStore(this.#path('session-cache.bin')),
      envelope,
      this.#context(account, 'workstation'),
      {
        onLost: () => undefined,
        onNewer: () => undefined,
        onSaveFailed: (error) =>
          this.options.logger.warn({ err: error }, 'session cache not saved'),
      },
      this.options.logger,
    );
    this.#pca = new PublicClientApplication({
      auth: {
        clientId: this.options.identity.clientId,
        authority: this.options.identity.authority,
        knownAuthorities: [...this.options.identity.knownAuthorities],
      },
      cache: { cachePlugin: plugin },
      system: {
        protocolMode: this.options.identity.protocolMode as never,
        networkClient: this.options.identity.network,
      },
    });
    this.#envelope = envelope;
    this.#account = account;
  }

  async #cachedAccount(): Promise<AccountInfo | undefined> {
    return (await this.#pca?.getTokenCache().getAllAccounts())?.find(
      (candidate) => candidate.localAccountId === this.#account?.oid,
    );
  }

  async #forget(): Promise<void> {
    await rm(this.#path('session-cache.bin'), { force: true });
    await rm(this.#path('account.json'), { force: true });
    this.#account = undefined;
    this.#envelope = undefined;
    this.#pca = undefined;
  }

  #context(account: SessionAccount, integration: string): EnvelopeContext {
    return {
      tenantId: account.tenantId,
      userId: account.oid,
      integration,
      deviceId: this.#deviceId,
    };
  }

  #path(name: string): string {
    return join(this.options.dataDir, name);
  }

  async #readOrCreateDeviceId(): Promise<string> {
    await mkdir(this.options.dataDir, { recursive: true, mode: 0o700 });
    const existing = await readFile(this.#path('device-id'), 'utf8').then(
      (text) => text.trim(),
      () => '',
    );
    if (/^[A-Za-z0-9_-]{16,64}$/.test(existing)) return existing;
    const created = randomBytes(16).toString('base64url');
    await writeFile(this.#path('device-id'), created, { mode: 0o600 });
    return created;
  }
}
