import {
  isWorkstationError,
  workstationError,
  type WorkstationError,
} from '../../src-shared/errors';

/** What is needed to word an Entra failure for the user and build the admin-consent link. */
export interface EntraErrorContext {
  /** `https://login.microsoftonline.com/<tenant>` (or the sandbox's). */
  readonly authority: string;
  readonly clientId: string;
  /** The resource the token was for, e.g. `https://contoso.crm.dynamics.com`. */
  readonly resource: string;
  /** Where Entra sends the admin back (a loopback URL of ours). */
  readonly redirectUri: string;
  /** The integration's name as the user knows it ("Dynamics 365"). */
  readonly integrationName: string;
}

/** The fields MSAL's AuthError, ServerError and InteractionRequiredAuthError carry. */
interface MsalLike {
  readonly errorCode?: string;
  readonly subError?: string;
  readonly errorMessage?: string;
  readonly message?: string;
  readonly status?: number;
}

/**
 * The prefilled admin-consent link an admin opens to grant the app for the whole tenant.
 * https://learn.microsoft.com/entra/identity-platform/v2-admin-consent
 */
export function adminConsentUrl(context: EntraErrorContext): string {
  const url = new URL(`${context.authority.replace(/\/$/, '')}/v2.0/adminconsent`);
  url.searchParams.set('client_id', context.clientId);
  url.searchParams.set('scope', `${context.resource.replace(/\/$/, '')}/.default`);
  url.searchParams.set('redirect_uri', context.redirectUri);
  return url.toString();
}

/**
 * Maps any sign-in failure (MSAL's error objects, network errors) to one WorkstationError with the
 * action the user can take: reconnect, ask the admin (with the prefilled link), or retry later.
 * Entra's own text (trace and correlation ids) never reaches the user.
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
export function mapEntraError(error: unknown, context: EntraErrorContext): WorkstationError {
  if (isWorkstationError(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as MsalLike;
  const text = `${e.errorCode ?? ''} ${e.subError ?? ''} ${e.errorMessage ?? ''} ${e.message ?? ''}`;
  const codes = new Set([...text.matchAll(/AADSTS(\d+)/g)].map((match) => Number(match[1])));
  const name = context.integrationName;

  if (
    codes.has(65001) ||
    e.subError === 'consent_required' ||
    e.errorCode === 'consent_required' ||
    codes.has(90094) ||
    codes.has(90095)
  ) {
    return workstationError(
      'needs_admin_consent',
      `Your organisation must approve Workstation for ${name} first. Send this link to your administrator.`,
      { actionUrl: adminConsentUrl(context) },
    );
  }
  if (codes.has(65004) || e.errorCode === 'access_denied' || e.errorCode === 'user_cancelled') {
    return workstationError(
      'consent_declined',
      `${name} was not connected because the permission request was declined. Choose Connect to try again.`,
    );
  }
  if (codes.has(53003)) {
    return workstationError(
      'forbidden',
      `Your organisation's access policy blocked signing in to ${name} from this device. Ask your IT administrator.`,
    );
  }
  if (
    codes.has(50076) ||
    codes.has(50079) ||
    e.subError === 'basic_action' ||
    e.subError === 'additional_action'
  ) {
    return workstationError(
      'needs_reconnect',
      `Extra verification needed. Your organisation asks you to confirm it is you again for ${name}. Choose Reconnect to sign in.`,
    );
  }
  if (
    codes.has(700082) ||
    codes.has(70008) ||
    codes.has(50173) ||
    codes.has(54005) ||
    e.errorCode === 'invalid_grant' ||
    e.subError === 'bad_token' ||
    e.errorCode === 'interaction_required' ||
    e.errorCode === 'login_required' ||
    e.errorCode === 'no_tokens_found'
  ) {
    return workstationError(
      'needs_reconnect',
      `Your ${name} sign-in has expired. Choose Reconnect to sign in again.`,
    );
  }
  const throttled =
    e.status === 429 ||
    codes.has(90055) ||
    e.errorCode === 'temporarily_unavailable' ||
    /throttl/i.test(text);
  if (throttled || (e.status !== undefined && e.status >= 500)) {
    const retryAfter = /Retry-After[^0-9]*(\d+(\.\d+)?)/i.exec(text)?.[1];
    return workstationError(
      throttled ? 'throttled' : 'upstream_unavailable',
      `Microsoft's sign-in service is busy. Workstation will try ${name} again shortly.`,
      { retryAt: Date.now() + (retryAfter ? Number(retryAfter) * 1000 : 60_000) },
    );
  }
  if (/network|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|timed out|socket/i.test(text)) {
    return workstationError(
      'upstream_unavailable',
      `Workstation cannot reach Microsoft's sign-in service. Check your connection; it will retry.`,
    );
  }
  return workstationError(
    'upstream_failed',
    `Signing in to ${name} failed. Try again; if it keeps failing, ask your administrator.`,
  );
}
