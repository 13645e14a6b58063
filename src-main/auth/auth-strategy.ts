import type { WorkstationError } from '../../src-shared/errors';
import type { IBrowserOpener } from './msal-client-config';

/**
 * How one connection signs in: Entra ID through MSAL Node (Dynamics, Outlook) or OAuth 2.0
 * authorization code + PKCE through the system browser and a loopback redirect (Salesforce).
 * Every strategy keeps its refresh material only in the connection's encrypted blob, and says
 * what went wrong as the typed states a card shows (needs reconnect, admin consent, throttled...).
 */
export interface IAuthStrategy {
  /** The connected account, if any (reads the encrypted blob on first use). */
  account(): Promise<{ readonly username: string } | undefined>;
  /** The last failure worth showing on the connection's row. */
  readonly lastError: WorkstationError | undefined;
  /** Whether the saved sign-in could not be opened on this device since the last connect (salt lost). */
  readonly lost: boolean;
  /** A token from the cache or a silent refresh; never opens a browser. */
  getAccessToken(options?: { readonly forceRefresh?: boolean }): Promise<string>;
  /**
   * Where the connection's API lives when the sign-in decides it (Salesforce's `instance_url`);
   * undefined when the target's origin is the API (Dynamics) or the integration has a fixed base.
   */
  apiBaseUrl(): Promise<string | undefined>;
  /**
   * The user's Connect: one interactive consent in the browser; answers the connected user name.
   * `signal` says the app stopped waiting (cancelled, timed out): stop listening where possible.
   */
  connect(browser: IBrowserOpener, loginHint?: string, signal?: AbortSignal): Promise<string>;
  /** Disconnect: revokes where the provider can, forgets the account, deletes the remote blob. */
  disconnect(): Promise<void>;
}
