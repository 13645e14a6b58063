import { workstationError } from '../../src-shared/errors';
import type { IBrowserOpener } from './msal-client-config';

/** The origins a sign-in page may be on: the configured authority's, and the hosts MSAL was told to trust. */
export interface SignInOrigins {
  /** `https://login.microsoftonline.com/<tenant>`, the sandbox's authority, or a provider's authorize endpoint. */
  readonly authority: string;
  /** Host names with their port (MSAL's `knownAuthorities`). */
  readonly knownAuthorities?: readonly string[];
}

function originOf(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Wraps the browser opener so it opens only a sign-in page on the configured authority's origin:
 * the system browser (`shell.openExternal` in the desktop app) must never be handed anything else,
 * whatever MSAL, a metadata document or a provider answered.
 * https://www.electronjs.org/docs/latest/tutorial/security#15-do-not-use-shellopenexternal-with-untrusted-content
 */
export function signInOpener(browser: IBrowserOpener, origins: SignInOrigins): IBrowserOpener {
  const allowed = new Set(
    [origins.authority, ...(origins.knownAuthorities ?? []).map((host) => `https://${host}`)]
      .map(originOf)
      .filter((origin) => origin !== undefined),
  );
  return {
    open(url, purpose) {
      let target: URL | undefined;
      try {
        target = new URL(url);
      } catch {
        target = undefined;
      }
      if (
        !target ||
        target.protocol !== 'https:' ||
        target.username ||
        target.password ||
        !allowed.has(target.origin)
      ) {
        return Promise.reject(
          workstationError(
            'forbidden',
            'Workstation refused to open a sign-in page outside your configured sign-in authority.',
          ),
        );
      }
      return browser.open(target.toString(), purpose);
    },
  };
}
