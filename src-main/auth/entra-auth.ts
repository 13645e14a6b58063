import {
  InteractionRequiredAuthError,
  PublicClientApplication,
  type AccountInfo,
} from '@azure/msal-node';
import type { Logger } from 'pino';
import { workstationError, type WorkstationError } from '../../src-shared/errors';
import type { Envelope, EnvelopeContext } from '../secrets/envelope';
import type { IAuthStrategy } from './auth-strategy';
import type { IBlobStore } from './blob-store';
import { EncryptedCachePlugin } from './encrypted-cache-plugin';
import { mapEntraError } from './entra-errors';
import { signInOpener } from './sign-in-opener';
import { outcomeOf } from './loopback-redirect';
import { loopbackPages, type IBrowserOpener, type IdentityConfig } from './msal-client-config';
import { startOutcomePage } from './outcome-page';

/** One integration's sign-in: which resource, where its encrypted cache lives, how to say its name. */
export interface EntraAuthOptions {
  readonly identity: IdentityConfig;
  readonly displayName: string;
  /** The resource's scopes, e.g. `https://org.crm4.dynamics.com/user_impersonation`. */
  readonly scopes: readonly string[];
  readonly resource: string;
  readonly store: IBlobStore;
  readonly envelope: Envelope;
  readonly envelopeContext: EnvelopeContext;
  readonly logger: Logger;
  /** Called when the state a card shows may have changed. */
  readonly onChange: () => void;
}

/**
 * The `entra` auth strategy: an MSAL public client per connection whose cache is the encrypted blob in the token store.
 * Silent first; the browser opens only inside an explicit user action (connect), never from a
 * background call, so a dead refresh token is one "Reconnect", never a loop of prompts.
 */
export class EntraAuth implements IAuthStrategy {
  readonly #pca: PublicClientApplication;
  readonly #plugin: EncryptedCachePlugin;
  #lost = false;
  #lastError: WorkstationError | undefined;
  /**
   * The claims challenge of the last Conditional Access failure (MFA and kin), handed to the next
   * interactive sign-in so Entra asks for what the policy wants. Main memory only: never persisted,
   * never in what the renderer receives.
   * https://learn.microsoft.com/entra/identity-platform/claims-challenge
   */
  #claims: string | undefined;

  constructor(private readonly options: EntraAuthOptions) {
    this.#plugin = new EncryptedCachePlugin(
      options.store,
      options.envelope,
      options.envelopeContext,
      {
        onLost: () => {
          this.#lost = true;
          this.#lastError = workstationError(
            'needs_reconnect',
            `Your saved ${options.displayName} sign-in could not be unlocked on this device. Choose Reconnect.`,
          );
          options.onChange();
        },
        onNewer: () => {
          this.#lastError = newerVersionError();
          options.onChange();
        },
        onSaveFailed: (error) =>
          options.logger.warn(
            {
              integration: options.envelopeContext.integration,
              reason: (error as { code?: string }).code,
            },
            'token cache not saved; kept in memory',
          ),
      },
      options.logger,
    );
    this.#pca = new PublicClientApplication({
      auth: {
        clientId: options.identity.clientId,
        authority: options.identity.authority,
        knownAuthorities: [...options.identity.knownAuthorities],
      },
      cache: { cachePlugin: this.#plugin },
      system: {
        protocolMode: options.identity.protocolMode as never,
        networkClient: options.identity.network,
      },
    });
  }

  /** Entra resources are their own API base (the Dynamics org, Graph). */
  async apiBaseUrl(): Promise<undefined> {
    return undefined;
  }

  /** The connected account, if any (reads the encrypted cache on first use). */
  async account(): Promise<AccountInfo | undefined> {
    const accounts = await this.#pca.getTokenCache().getAllAccounts();
    return accounts[0];
  }

  /** The last failure worth showing on the card (needs reconnect, admin consent...). */
  get lastError(): WorkstationError | undefined {
    return this.#lastError;
  }

  /** A token from the cache or a silent refresh; never opens a browser. */
  async getAccessToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    const account = await this.account();
    if (!account)
      throw (
        this.#lastError ??
        workstationError(
          'needs_reconnect',
          `${this.options.displayName} is not connected. Connect it in Settings > Integrations.`,
        )
      );
    try {
      const result = await this.#pca.acquireTokenSilent({
        account,
        scopes: [...this.options.scopes],
        forceRefresh: options.forceRefresh ?? false,
      });
      this.#lastError = undefined;
      return result.accessToken;
    } catch (error) {
      // The newest interaction-required answer says what the next sign-in must satisfy (or nothing).
      if (error instanceof InteractionRequiredAuthError) this.#claims = error.claims || undefined;
      // One mapping for every failure, so MFA (50076) or a blocked device (53003) says so; whatever
      // else needs interaction is a Reconnect.
      const mapped = this.#map(error);
      const failure =
        error instanceof InteractionRequiredAuthError && mapped.code === 'upstream_failed'
          ? workstationError(
              'needs_reconnect',
              `Your ${this.options.displayName} sign-in has expired. Choose Reconnect.`,
            )
          : mapped;
      this.#lastError = failure;
      this.options.onChange();
      throw failure;
    }
  }

  /** The user's Connect: one interactive consent in the browser; answers the connected user name. */
  async connect(browser: IBrowserOpener, loginHint?: string): Promise<string> {
    // Saving this consent would overwrite a newer build's blob; say so before any browser opens.
    await this.account();
    if (this.#plugin.newer) throw newerVersionError();
    // The tab learns the real outcome once the code was exchanged, not when it arrived.
    const page = await startOutcomePage(this.options.displayName).catch(() => undefined);
    try {
      // The browser opens only a page on the configured authority, whatever MSAL hands over.
      const guarded = signInOpener(browser, this.options.identity);
      const result = await this.#pca.acquireTokenInteractive({
        scopes: [...this.options.scopes],
        openBrowser: (url) => guarded.open(url, 'connect'),
        ...(page?.templates ?? loopbackPages),
        ...(loginHint ? { loginHint } : {}),
        ...(this.#claims ? { claims: this.#claims } : {}),
      });
      this.#lost = false;
      this.#lastError = undefined;
      this.#claims = undefined;
      page?.settle('signed_in');
      return result.account?.username ?? '';
    } catch (error) {
      this.#lastError = this.#map(error);
      page?.settle(outcomeOf(this.#lastError.code));
      throw this.#lastError;
    } finally {
      this.options.onChange();
    }
  }

  /** Disconnect: forgets the account locally and deletes the remote blob. */
  async disconnect(): Promise<void> {
    const cache = this.#pca.getTokenCache();
    for (const account of await cache.getAllAccounts()) await cache.removeAccount(account);
    await this.options.store.remove();
    this.#plugin.reset();
    this.#lastError = undefined;
    this.#claims = undefined;
    this.#lost = false;
    this.options.onChange();
  }

  /** Whether the saved sign-in was lost (salt gone) since the last connect. */
  get lost(): boolean {
    return this.#lost;
  }

  /** Whether the saved sign-in was written by a newer Workstation (left in place; update to use it). */
  get newer(): boolean {
    return this.#plugin.newer;
  }

  #map(error: unknown): WorkstationError {
    return mapEntraError(error, {
      authority: this.options.identity.authority,
      clientId: this.options.identity.clientId,
      resource: this.options.resource,
      redirectUri: 'http://localhost',
      integrationName: this.options.displayName,
    });
  }
}

/** What the card says about a blob this build is too old to read. */
const newerVersionError = () =>
  workstationError(
    'unavailable',
    'This connection was saved by a newer version of Workstation. Update Workstation to use it.',
  );
