import {
  InteractionRequiredAuthError,
  PublicClientApplication,
  ServerError,
  type AccountInfo,
} from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSTATION_CLIENT_ID } from '../../src-shared/demo-tenant';
import { startSandbox, type Sandbox } from '../../src-sandbox/start-sandbox';
import { completeConsent } from '../../src-sandbox/test-support/consent-driver';
import { adminConsentUrl, mapEntraError, type EntraErrorContext } from './entra-errors';
import { createMsalNetworkClient } from './msal-network-client';

const context: EntraErrorContext = {
  authority: 'https://login.microsoftonline.com/contoso',
  clientId: 'app',
  resource: 'https://org.crm4.dynamics.com',
  redirectUri: 'http://localhost:53100',
  integrationName: 'Dynamics 365',
};

describe('Entra error mapping (table)', () => {
  it.each([
    [
      {
        errorCode: 'invalid_grant',
        subError: 'consent_required',
        errorMessage: 'AADSTS65001: The user or administrator has not consented',
      },
      'needs_admin_consent',
    ],
    [
      { errorCode: 'access_denied', errorMessage: 'AADSTS65004: User declined to consent' },
      'consent_declined',
    ],
    [
      {
        errorCode: 'invalid_grant',
        subError: 'bad_token',
        errorMessage: 'AADSTS700082: The refresh token has expired due to inactivity.',
      },
      'needs_reconnect',
    ],
    [
      {
        errorCode: 'invalid_grant',
        errorMessage: 'AADSTS50173: The provided grant has expired due to it being revoked',
      },
      'needs_reconnect',
    ],
    [
      {
        errorCode: 'interaction_required',
        errorMessage:
          'AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication',
      },
      'needs_reconnect',
    ],
    [
      {
        errorCode: 'interaction_required',
        errorMessage: 'AADSTS53003: Access has been blocked by Conditional Access policies.',
      },
      'forbidden',
    ],
    [
      {
        errorCode: 'temporarily_unavailable',
        status: 429,
        errorMessage: 'AADSTS90055: throttled. Retry-After: 30',
      },
      'throttled',
    ],
    [
      {
        errorCode: 'server_error',
        status: 503,
        errorMessage: 'AADSTS90033: A transient error has occurred.',
      },
      'upstream_unavailable',
    ],
    [
      { errorCode: 'network_error', errorMessage: 'Network request failed: ECONNREFUSED' },
      'upstream_unavailable',
    ],
    [
      { errorCode: 'unauthorized_client', errorMessage: 'AADSTS700016: Application not found' },
      'upstream_failed',
    ],
  ])('%j -> %s', (error, code) => {
    const mapped = mapEntraError(Object.assign(new Error(error.errorMessage), error), context);
    expect(mapped.code).toBe(code);
    expect(mapped.message).not.toMatch(/AADSTS|Trace ID|Correlation/);
  });

  it('prefills the admin-consent link for the resource', () => {
    const mapped = mapEntraError(
      { errorCode: 'invalid_grant', subError: 'consent_required' },
      context,
    );
    expect(mapped.actionUrl).toBe(adminConsentUrl(context));
    const url = new URL(mapped.actionUrl ?? '');
    expect([
      url.pathname,
      url.searchParams.get('client_id'),
      url.searchParams.get('scope'),
    ]).toEqual(['/contoso/v2.0/adminconsent', 'app', 'https://org.crm4.dynamics.com/.default']);
  });

  it('keeps a retry time for throttling', () => {
    const mapped = mapEntraError(
      { errorCode: 'temporarily_unavailable', status: 429, errorMessage: 'Retry-After: 30' },
      context,
    );
    expect(mapped.retryAt).toBeGreaterThan(Date.now() + 25_000);
  });
});

describe('Entra error mapping on the errors MSAL Node really throws', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
  });
  afterAll(async () => sandbox?.stop());
  const pca = () =>
    new PublicClientApplication({
      auth: {
        clientId: WORKSTATION_CLIENT_ID,
        authority: sandbox.entra.authority(),
        knownAuthorities: [sandbox.entra.knownAuthority],
      },
      system: {
        protocolMode: 'OIDC',
        networkClient: createMsalNetworkClient({ extraCa: sandbox.tls.caCert }),
      },
    });
  const live = (): EntraErrorContext => ({
    ...context,
    authority: sandbox.entra.authority(),
    resource: sandbox.dataverse.orgUrl,
  });
  const signIn = (client: PublicClientApplication, accept = true) =>
    client.acquireTokenInteractive({
      scopes: [`${sandbox.dataverse.orgUrl}/user_impersonation`],
      openBrowser: (url) =>
        completeConsent(url, {
          user: 'alex.wilber@contoso-sample.onmicrosoft.com',
          accept,
          ca: sandbox.tls.caCert,
        }),
      successTemplate: 'ok',
      errorTemplate: 'failed',
    });

  it('maps cancel, consent required and expired refresh tokens', async () => {
    const cancelled = await signIn(pca(), false).catch((error: unknown) => error);
    expect(cancelled).toBeInstanceOf(ServerError);
    expect(mapEntraError(cancelled, live()).code).toBe('consent_declined');

    sandbox.faults.set('entra', { consentRequired: true });
    const consent = await signIn(pca()).catch((error: unknown) => error);
    sandbox.faults.set('entra', { consentRequired: false });
    expect(consent).toBeInstanceOf(InteractionRequiredAuthError);
    const mapped = mapEntraError(consent, live());
    expect(mapped.code).toBe('needs_admin_consent');
    expect(mapped.actionUrl).toContain(`${sandbox.entra.authority()}/v2.0/adminconsent?client_id=`);

    const client = pca();
    const ok = await signIn(client);
    sandbox.faults.set('entra', { refreshTokenExpired: true });
    const expired = await client
      .acquireTokenSilent({
        account: ok.account as AccountInfo,
        scopes: [`${sandbox.dataverse.orgUrl}/user_impersonation`],
        forceRefresh: true,
      })
      .catch((error: unknown) => error);
    sandbox.faults.set('entra', { refreshTokenExpired: false });
    expect(mapEntraError(expired, live()).code).toBe('needs_reconnect');
  });

  it('maps an MFA claims challenge on refresh (50076, basic_action) to "Extra verification needed"', async () => {
    const client = pca();
    const ok = await signIn(client);
    sandbox.faults.set('entra', { mfaRequiredFor: ['dataverse'] });
    const challenged = await client
      .acquireTokenSilent({
        account: ok.account as AccountInfo,
        scopes: [`${sandbox.dataverse.orgUrl}/user_impersonation`],
        forceRefresh: true,
      })
      .catch((error: unknown) => error);
    sandbox.faults.set('entra', { mfaRequiredFor: [] });
    expect(challenged).toBeInstanceOf(InteractionRequiredAuthError);
    const mapped = mapEntraError(challenged, live());
    expect(mapped).toMatchObject({
      code: 'needs_reconnect',
      message: expect.stringMatching(/^Extra verification needed\. .*Dynamics 365/),
    });
    expect(mapped.message).not.toMatch(/AADSTS|capolids/);
  });
});
