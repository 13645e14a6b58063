import {
  InteractionRequiredAuthError,
  PublicClientApplication,
  ServerError,
  type AccountInfo,
} from '@azure/msal-node';
import { request } from 'node:https';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT_ID, WORKSTATION_CLIENT_ID } from '../../src-shared/demo-tenant';
import { startSandbox, type Sandbox } from '../start-sandbox';
import { createCaNetworkClient } from '../test-support/ca-network-client';
import { completeConsent } from '../test-support/consent-driver';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';

function getJson(
  url: string,
  token: string,
  ca: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ca, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

// MSAL Node 7.2.1, unmodified, against the Entra stand-in (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow;
// MSAL's options for a non-Microsoft authority: https://learn.microsoft.com/entra/msal/javascript/node/configuration).
describe('MSAL Node against the Entra stand-in', () => {
  let sandbox: Sandbox;
  const pca = (protocolMode: 'OIDC' | 'AAD' = 'OIDC') =>
    new PublicClientApplication({
      auth: {
        clientId: WORKSTATION_CLIENT_ID,
        authority: sandbox.entra.authority(),
        knownAuthorities: [sandbox.entra.knownAuthority],
      },
      system: { protocolMode, networkClient: createCaNetworkClient(sandbox.tls.caCert) },
    });
  const dataverseScope = () => `${sandbox.dataverse.orgUrl}/user_impersonation`;
  const signIn = (client: PublicClientApplication, user = ALEX, accept = true) =>
    client.acquireTokenInteractive({
      scopes: [dataverseScope()],
      openBrowser: (url) => completeConsent(url, { user, accept, ca: sandbox.tls.caCert }),
      successTemplate: 'done',
      errorTemplate: 'failed',
    });

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
  });
  afterAll(async () => sandbox?.stop());

  it('signs in through the consent page with PKCE and form_post; the account matches production identity', async () => {
    const result = await signIn(pca());
    const alex = sandbox.users.find((user) => user.upn === ALEX);
    expect(result.account?.homeAccountId).toBe(`${alex?.oid}.${DEMO_TENANT_ID}`);
    expect(result.account?.username).toBe(ALEX);
    expect(result.account?.tenantId).toBe(DEMO_TENANT_ID);
    expect(result.scopes).toContain(dataverseScope());
    const whoAmI = await getJson(
      `${sandbox.dataverse.orgUrl}/api/data/v9.2/WhoAmI`,
      result.accessToken,
      sandbox.tls.caCert,
    );
    expect(whoAmI.status).toBe(200);
    expect(whoAmI.body.UserId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('also works in the default AAD protocol mode (discovery under /v2.0)', async () => {
    const result = await signIn(pca('AAD'), 'megan.bowen@contoso-sample.onmicrosoft.com');
    expect(result.account?.username).toBe('megan.bowen@contoso-sample.onmicrosoft.com');
  });

  it('refreshes silently with a rotated refresh token', async () => {
    const client = pca();
    const first = await signIn(client);
    sandbox.counters.reset();
    const refreshed = await client.acquireTokenSilent({
      account: first.account as AccountInfo,
      scopes: [dataverseScope()],
      forceRefresh: true,
    });
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(sandbox.counters.snapshot().byPath[`entra /${DEMO_TENANT_ID}/oauth2/v2.0/token`]).toBe(
      1,
    );
    // A second refresh uses the refresh token MSAL replaced it with and still works.
    const again = await client.acquireTokenSilent({
      account: first.account as AccountInfo,
      scopes: [dataverseScope()],
      forceRefresh: true,
    });
    expect(again.accessToken).not.toBe(refreshed.accessToken);
  });

  it('fails a refresh as Entra does when the refresh token expired (700082, interaction required)', async () => {
    const client = pca();
    const first = await signIn(client);
    sandbox.faults.set('entra', { refreshTokenExpired: true });
    try {
      const error = await client
        .acquireTokenSilent({
          account: first.account as AccountInfo,
          scopes: [dataverseScope()],
          forceRefresh: true,
        })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InteractionRequiredAuthError);
      expect(error).toMatchObject({ errorCode: 'invalid_grant', subError: 'bad_token' });
      expect(String((error as Error).message)).toContain('AADSTS700082');
    } finally {
      sandbox.faults.set('entra', { refreshTokenExpired: false });
    }
  });

  it('reports consent required (65001) as interaction required', async () => {
    sandbox.faults.set('entra', { consentRequired: true });
    try {
      const error = await signIn(pca()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InteractionRequiredAuthError);
      expect(error).toMatchObject({ errorCode: 'invalid_grant', subError: 'consent_required' });
      expect(String((error as Error).message)).toContain('AADSTS65001');
    } finally {
      sandbox.faults.set('entra', { consentRequired: false });
    }
  });

  // Entra does not spend a refresh token on a failed redemption, nor on a successful one
  // (https://learn.microsoft.com/entra/identity-platform/refresh-tokens: "doesn't revoke old refresh
  // tokens when used"), so once consent is back the refresh token MSAL kept works again.
  it('recovers from a consent-required refresh (65001) once consent is back, with the refresh token MSAL kept', async () => {
    const client = pca();
    const first = await signIn(client);
    const silent = () =>
      client.acquireTokenSilent({
        account: first.account as AccountInfo,
        scopes: [dataverseScope()],
        forceRefresh: true,
      });
    sandbox.faults.set('entra', { consentRequired: true });
    try {
      const error = await silent().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InteractionRequiredAuthError);
      expect(error).toMatchObject({
        errorCode: 'invalid_grant',
        subError: 'consent_required',
        errorNo: 65001,
      });
    } finally {
      sandbox.faults.set('entra', { consentRequired: false });
    }
    const recovered = await silent();
    expect(recovered.accessToken).not.toBe(first.accessToken);
  });

  // Conditional Access asking for MFA: the refresh fails with invalid_grant, AADSTS50076, suberror
  // basic_action and a claims challenge naming the policy (capolids), which MSAL raises as
  // InteractionRequiredAuthError with `claims`; the client passes those claims to the interactive
  // request, and the new sign-in (with MFA) refreshes again.
  // https://learn.microsoft.com/entra/identity-platform/claims-challenge
  // https://learn.microsoft.com/entra/msal/python/advanced/conditional-access (the same pattern in every MSAL)
  // https://learn.microsoft.com/entra/identity-platform/reference-error-codes (AADSTS50076)
  it('answers a refresh with an MFA claims challenge (50076) until the user signs in again with the claims', async () => {
    const client = pca();
    const first = await signIn(client);
    const silent = () =>
      client.acquireTokenSilent({
        account: first.account as AccountInfo,
        scopes: [dataverseScope()],
        forceRefresh: true,
      });
    sandbox.faults.set('entra', { mfaRequiredFor: ['dataverse'] });
    try {
      const error = await silent().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InteractionRequiredAuthError);
      expect(error).toMatchObject({
        errorCode: 'invalid_grant',
        subError: 'basic_action',
        errorNo: 50076,
      });
      expect(String((error as Error).message)).toContain('AADSTS50076');
      const { claims } = error as InteractionRequiredAuthError;
      expect(JSON.parse(claims)).toEqual({
        access_token: {
          capolids: { essential: true, values: [expect.stringMatching(/^[0-9a-f-]{36}$/)] },
        },
      });
      // Still refused while nobody signed in again: the refresh token carries no MFA.
      await expect(silent()).rejects.toMatchObject({ errorNo: 50076 });

      const again = await client.acquireTokenInteractive({
        scopes: [dataverseScope()],
        claims,
        openBrowser: (url) => completeConsent(url, { user: ALEX, ca: sandbox.tls.caCert }),
        successTemplate: 'done',
        errorTemplate: 'failed',
      });
      const received = JSON.parse(sandbox.entra.authorizeClaims().at(-1) ?? '{}') as {
        access_token?: unknown;
      };
      expect(received.access_token).toEqual(JSON.parse(claims).access_token);
      expect(decodeJwt(again.accessToken).amr).toEqual(['pwd', 'mfa']);
      const refreshed = await silent();
      expect(decodeJwt(refreshed.accessToken).amr).toEqual(['pwd', 'mfa']);
    } finally {
      sandbox.faults.set('entra', { mfaRequiredFor: [] });
    }
  });

  it('shortens access tokens with the lifetime knob (expires_in follows)', async () => {
    sandbox.faults.set('entra', { accessTokenLifetimeSec: 120 });
    try {
      const result = await signIn(pca());
      const claims = decodeJwt(result.accessToken);
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(120);
      expect(
        Math.round(((result.expiresOn?.getTime() ?? 0) - Date.now()) / 1000),
      ).toBeLessThanOrEqual(120);
    } finally {
      sandbox.faults.set('entra', { accessTokenLifetimeSec: 0 });
    }
  });

  it('reports a cancelled consent as access_denied (65004)', async () => {
    const error = await signIn(pca(), ALEX, false).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ errorCode: 'access_denied' });
    expect(String((error as Error).message)).toContain('AADSTS65004');
  });
});
