import type { INetworkModule } from '@azure/msal-node';

/** How Workstation reaches Entra ID (the real one, or the sandbox's stand-in). */
export interface IdentityConfig {
  /** `https://login.microsoftonline.com/<tenant>` or the sandbox authority. */
  readonly authority: string;
  /** Hosts MSAL may trust without instance discovery, with the port (https://github.com/AzureAD/microsoft-authentication-library-for-js/blob/dev/lib/msal-common/src/authority/Authority.ts). */
  readonly knownAuthorities: readonly string[];
  readonly protocolMode: 'AAD' | 'OIDC';
  readonly clientId: string;
  readonly network: INetworkModule;
}

/** Opens a sign-in or consent page for the user: the system browser, or a tab of the web host's page. */
export interface IBrowserOpener {
  open(url: string, purpose: 'sign_in' | 'connect' | 'admin_consent'): Promise<void>;
}

/** The page MSAL's loopback server shows once the browser hands the answer back. */
export const loopbackPages = {
  successTemplate:
    '<!doctype html><title>Workstation</title><h1>You are signed in.</h1><p>You can close this tab and return to Workstation.</p>',
  errorTemplate:
    '<!doctype html><title>Workstation</title><h1>Sign-in did not complete.</h1><p>Return to Workstation for details.</p>',
};
