import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../start-sandbox';
import {
  authorizeUrl,
  loopbackCallback,
  pkcePair,
  postForm,
  signIn,
  type SalesforceTokens,
} from '../test-support/salesforce-client';
import { completeSalesforceConsent } from '../test-support/salesforce-consent-driver';
import { sandboxFetch } from '../test-support/sandbox-fetch';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';
const INVALID_SESSION = [
  { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
];

// Web server flow: https://help.salesforce.com/HTViewHelpDoc?id=remoteaccess_oauth_web_server_flow.htm
// PKCE: https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_pkce.htm
// Errors: https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flow_errors.htm
describe('Salesforce stand-in: OAuth 2.0 web server flow, refresh, revoke and identity', () => {
  let sandbox: Sandbox;
  let app: Awaited<ReturnType<typeof loopbackCallback>>;
  const production = () => sandbox.salesforce.environments.production;
  const token = (fields: Record<string, string>, host = production().loginUrl) =>
    postForm(
      `${host}/services/oauth2/token`,
      { client_id: sandbox.salesforce.clientId, ...fields },
      sandbox.tls.caCert,
    );
  const rest = (
    accessToken: string,
    path = '/services/data/v64.0/limits',
    instance = production().instanceUrl,
  ) => sandboxFetch(`${instance}${path}`, { ca: sandbox.tls.caCert, token: accessToken });
  /** Runs the login page and answers the callback the loopback app received. */
  const authorize = async (params: Record<string, string | undefined>, allow = true) => {
    const callback = await completeSalesforceConsent(
      authorizeUrl(production().loginUrl, {
        response_type: 'code',
        client_id: sandbox.salesforce.clientId,
        redirect_uri: app.uri,
        state: 'xyz',
        ...params,
      }),
      { user: ALEX, allow, ca: sandbox.tls.caCert },
    );
    expect(app.hits.at(-1)?.toString()).toBe(callback.toString());
    return callback;
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
    app = await loopbackCallback();
  });
  afterAll(async () => {
    app?.close();
    await sandbox?.stop();
  });

  it('runs the web server flow with a real PKCE verifier and answers exactly the documented token fields', async () => {
    const { verifier, challenge } = pkcePair();
    const callback = await authorize({
      scope: 'api id openid refresh_token',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    expect(callback.origin + callback.pathname).toBe(app.uri);
    expect(callback.searchParams.get('state')).toBe('xyz');
    const code = callback.searchParams.get('code') ?? '';
    expect(code.length).toBeGreaterThan(20);
    const answer = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: app.uri,
      code_verifier: verifier,
    });
    expect(answer.status).toBe(200);
    const tokens = answer.json<SalesforceTokens & Record<string, unknown>>();
    // No expires_in: an access token lives as long as the session (refresh token flow page).
    expect(Object.keys(tokens).sort()).toEqual([
      'access_token',
      'id',
      'id_token',
      'instance_url',
      'issued_at',
      'refresh_token',
      'scope',
      'signature',
      'token_type',
    ]);
    const alex = production().users.find((user) => user.upn === ALEX);
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      scope: 'api id openid refresh_token',
      instance_url: production().instanceUrl,
      id: `${production().loginUrl}/id/${production().orgId}/${alex?.userId}`,
    });
    // 18-character org and user ids in the identity URL; issued_at is epoch milliseconds as a string.
    expect(tokens.id).toMatch(/\/id\/00D[A-Za-z0-9]{15}\/005[A-Za-z0-9]{15}$/);
    expect(tokens.issued_at).toMatch(/^\d{13}$/);
    expect(Math.abs(Number(tokens.issued_at) - Date.now())).toBeLessThan(60_000);
    expect(tokens.signature).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    // Access tokens are opaque session ids: the 15-character org id, "!", a secret.
    expect(tokens.access_token.startsWith(`${production().orgId.slice(0, 15)}!`)).toBe(true);
    expect(decodeJwt(tokens.id_token ?? '')).toMatchObject({
      iss: production().loginUrl,
      aud: sandbox.salesforce.clientId,
      sub: tokens.id,
    });
    expect((await rest(tokens.access_token)).status).toBe(200);
  });

  it('issues a refresh token only with the refresh_token or offline_access scope', async () => {
    // "OAuth Tokens and Scopes", https://help.salesforce.com/HTViewHelpDoc?id=remoteaccess_oauth_scopes.htm
    expect((await signIn(sandbox, 'production', ALEX, 'api id')).refresh_token).toBeUndefined();
    expect((await signIn(sandbox, 'production', ALEX, 'api offline_access')).refresh_token).toMatch(
      /^5Aep/,
    );
    expect((await signIn(sandbox, 'production', ALEX, 'api refresh_token')).refresh_token).toMatch(
      /^5Aep/,
    );
  });

  it('refuses a verifier that does not match (invalid_request), a missing verifier (invalid_grant), and a code used twice', async () => {
    const { verifier, challenge } = pkcePair();
    const first =
      (await authorize({ scope: 'api', code_challenge: challenge })).searchParams.get('code') ?? '';
    const wrong = await token({
      grant_type: 'authorization_code',
      code: first,
      redirect_uri: app.uri,
      code_verifier: pkcePair().verifier,
    });
    expect([wrong.status, wrong.json<{ error: string }>().error]).toEqual([400, 'invalid_request']);
    // The code was spent by the failed attempt, as any use spends it.
    const reuse = await token({
      grant_type: 'authorization_code',
      code: first,
      redirect_uri: app.uri,
      code_verifier: verifier,
    });
    expect([reuse.status, reuse.json<{ error: string }>().error]).toEqual([400, 'invalid_grant']);
    const second =
      (await authorize({ scope: 'api', code_challenge: challenge })).searchParams.get('code') ?? '';
    const missing = await token({
      grant_type: 'authorization_code',
      code: second,
      redirect_uri: app.uri,
    });
    expect([missing.status, missing.json<{ error: string }>().error]).toEqual([
      400,
      'invalid_grant',
    ]);
    const third =
      (await authorize({ scope: 'api', code_challenge: challenge })).searchParams.get('code') ?? '';
    expect(
      (
        await token({
          grant_type: 'authorization_code',
          code: third,
          redirect_uri: app.uri,
          code_verifier: verifier,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await token({
          grant_type: 'authorization_code',
          code: third,
          redirect_uri: app.uri,
          code_verifier: verifier,
        })
      ).json(),
    ).toMatchObject({ error: 'invalid_grant' });
  });

  it('never issues a code to an unknown client or an unregistered callback, and reports other authorize errors on the callback', async () => {
    const { challenge } = pkcePair();
    const page = (params: Record<string, string>) =>
      sandboxFetch(
        authorizeUrl(production().loginUrl, {
          response_type: 'code',
          client_id: sandbox.salesforce.clientId,
          redirect_uri: app.uri,
          code_challenge: challenge,
          ...params,
        }),
        { ca: sandbox.tls.caCert },
      );
    const unknownClient = await page({ client_id: '3MVG9NotRegistered' });
    expect([unknownClient.status, unknownClient.headers.location]).toEqual([400, undefined]);
    expect(unknownClient.text).toContain('error=invalid_client_id');
    for (const redirect of [
      'https://evil.example/callback',
      'http://192.168.1.5:8080/callback',
      'http://localhost:1234/cb#frag',
    ]) {
      const mismatch = await page({ redirect_uri: redirect });
      expect([mismatch.status, mismatch.headers.location], redirect).toEqual([400, undefined]);
      expect(mismatch.text).toContain('error=redirect_uri_mismatch');
    }
    // Both loopback hosts on any port are accepted for the demo connected app.
    expect((await page({ redirect_uri: 'http://127.0.0.1:49152/callback' })).status).toBe(200);
    const cases: [Record<string, string>, string][] = [
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ code_challenge: '' }, 'invalid_request'],
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ scope: 'api chatter_api' }, 'invalid_scope'],
      [{ immediate: 'true' }, 'immediate_unsuccessful'],
    ];
    for (const [params, error] of cases) {
      const answer = await page({ ...params, state: 's-1' });
      expect(answer.status, error).toBe(302);
      const location = new URL(String(answer.headers.location));
      expect([
        location.origin + location.pathname,
        location.searchParams.get('error'),
        location.searchParams.get('state'),
        location.searchParams.get('code'),
      ]).toEqual([app.uri, error, 's-1', null]);
    }
  });

  it('sends a user who denies access back with error=access_denied and the state, and no code', async () => {
    const callback = await authorize(
      { scope: 'api', code_challenge: pkcePair().challenge, state: 'deny-me' },
      false,
    );
    expect([
      callback.searchParams.get('error'),
      callback.searchParams.get('state'),
      callback.searchParams.get('code'),
    ]).toEqual(['access_denied', 'deny-me', null]);
  });

  it('checks the client, the secret, the grant type and the redirect_uri at the token endpoint', async () => {
    const { verifier, challenge } = pkcePair();
    const code =
      (await authorize({ scope: 'api', code_challenge: challenge })).searchParams.get('code') ?? '';
    const cases: [Record<string, string>, string][] = [
      [{ client_id: '3MVG9NotRegistered', grant_type: 'authorization_code' }, 'invalid_client_id'],
      [{ grant_type: 'authorization_code', client_secret: 'guess' }, 'invalid_client'],
      [{}, 'invalid_request'],
      [{ grant_type: 'password' }, 'unsupported_grant_type'],
    ];
    for (const [fields, error] of cases) {
      const answer = await token({
        code,
        redirect_uri: app.uri,
        code_verifier: verifier,
        ...fields,
      });
      expect([answer.status, answer.json<{ error: string }>().error], error).toEqual([400, error]);
      expect(answer.json<{ error_description: string }>().error_description.length).toBeGreaterThan(
        0,
      );
    }
    const mismatch = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://localhost:1/other',
      code_verifier: verifier,
    });
    expect(mismatch.json()).toMatchObject({ error: 'redirect_uri_mismatch' });
  });

  it('refreshes without a new refresh token by default, and rotates it when the org rotates refresh tokens', async () => {
    // "OAuth 2.0 Refresh Token Flow", https://help.salesforce.com/HTViewHelpDoc?id=remoteaccess_oauth_refresh_token_flow.htm
    const tokens = await signIn(sandbox, 'production', ALEX);
    const refreshed = await token({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    });
    expect(refreshed.status).toBe(200);
    const body = refreshed.json<SalesforceTokens>();
    expect(body.refresh_token).toBeUndefined();
    expect(body).toMatchObject({
      token_type: 'Bearer',
      instance_url: production().instanceUrl,
      id: tokens.id,
      scope: 'api id refresh_token',
    });
    expect(body.access_token).not.toBe(tokens.access_token);
    expect((await rest(body.access_token)).status).toBe(200);
    sandbox.faults.set('salesforce', { refreshTokenRotation: true });
    try {
      const rotated = (
        await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' })
      ).json<SalesforceTokens>();
      expect(rotated.refresh_token).toMatch(/^5Aep/);
      expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
      const spent = await token({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token ?? '',
      });
      expect([spent.status, spent.json()]).toEqual([
        400,
        { error: 'invalid_grant', error_description: 'expired access/refresh token' },
      ]);
      expect(
        (await token({ grant_type: 'refresh_token', refresh_token: rotated.refresh_token ?? '' }))
          .status,
      ).toBe(200);
    } finally {
      sandbox.faults.set('salesforce', { refreshTokenRotation: false });
    }
  });

  it('answers invalid_grant "expired access/refresh token" for a refresh token it does not know', async () => {
    const answer = await token({
      grant_type: 'refresh_token',
      refresh_token: '5Aep861NotARealToken',
    });
    expect([answer.status, answer.json()]).toEqual([
      400,
      { error: 'invalid_grant', error_description: 'expired access/refresh token' },
    ]);
  });

  it('revokes a refresh token with every access token issued from it, then answers invalid_token', async () => {
    // "Revoke OAuth Tokens", https://developer.salesforce.com/docs/platform/mobile-sdk/guide/oauth-revoking-tokens.html
    const tokens = await signIn(sandbox, 'production', ALEX);
    const second = (
      await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' })
    ).json<SalesforceTokens>().access_token;
    const revoked = await postForm(
      `${production().instanceUrl}/services/oauth2/revoke`,
      { token: tokens.refresh_token ?? '' },
      sandbox.tls.caCert,
    );
    expect([revoked.status, revoked.text]).toEqual([200, '']);
    for (const accessToken of [tokens.access_token, second]) {
      const answer = await rest(accessToken);
      expect([answer.status, answer.json()]).toEqual([401, INVALID_SESSION]);
    }
    expect(
      (
        await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' })
      ).json(),
    ).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
    const again = await postForm(
      `${production().loginUrl}/services/oauth2/revoke`,
      { token: tokens.refresh_token ?? '' },
      sandbox.tls.caCert,
    );
    expect([again.status, again.json<{ error: string }>().error]).toEqual([400, 'invalid_token']);
    const garbage = await postForm(
      `${production().loginUrl}/services/oauth2/revoke`,
      { token: 'not-a-salesforce-token' },
      sandbox.tls.caCert,
    );
    expect([garbage.status, garbage.json<{ error: string }>().error]).toEqual([
      400,
      'unsupported_token_type',
    ]);
  });

  it('revokes just an access token, leaving its refresh token working', async () => {
    const tokens = await signIn(sandbox, 'production', ALEX);
    const revoked = await sandboxFetch(
      `${production().loginUrl}/services/oauth2/revoke?token=${encodeURIComponent(tokens.access_token)}`,
      { ca: sandbox.tls.caCert },
    );
    expect(revoked.status).toBe(200);
    expect((await rest(tokens.access_token)).json()).toEqual(INVALID_SESSION);
    expect(
      (await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' }))
        .status,
    ).toBe(200);
  });

  it('serves the identity URL and userinfo with the bearer token, with {version} in URLs unless a version is asked for', async () => {
    // "Identity URLs", https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_openid.htm
    const tokens = await signIn(sandbox, 'production', ALEX, 'api id openid');
    const identity = await sandboxFetch(tokens.id, {
      ca: sandbox.tls.caCert,
      token: tokens.access_token,
    });
    expect(identity.status).toBe(200);
    const alex = production().users.find((user) => user.upn === ALEX);
    const body = identity.json<{ urls: Record<string, string> } & Record<string, unknown>>();
    expect(body).toMatchObject({
      id: tokens.id,
      user_id: alex?.userId,
      organization_id: production().orgId,
      username: ALEX,
      display_name: 'Alex Wilber',
      email: ALEX,
      active: true,
      user_type: 'STANDARD',
      timezone: 'America/Los_Angeles',
    });
    expect(body.urls.rest).toBe(`${production().instanceUrl}/services/data/v{version}/`);
    expect(body.urls.query).toBe(`${production().instanceUrl}/services/data/v{version}/query/`);
    const versioned = (
      await sandboxFetch(`${tokens.id}?version=62.0`, {
        ca: sandbox.tls.caCert,
        token: tokens.access_token,
      })
    ).json<{ urls: Record<string, string> }>();
    expect(versioned.urls.rest).toBe(`${production().instanceUrl}/services/data/v62.0/`);
    expect(
      (
        await sandboxFetch(`${tokens.id}?version=latest`, {
          ca: sandbox.tls.caCert,
          token: tokens.access_token,
        })
      ).json<{ urls: Record<string, string> }>().urls.search,
    ).toBe(`${production().instanceUrl}/services/data/v64.0/search/`);
    const badVersion = await sandboxFetch(`${tokens.id}?version=12.0`, {
      ca: sandbox.tls.caCert,
      token: tokens.access_token,
    });
    expect([badVersion.status, badVersion.text]).toEqual([406, 'Bad_Version']);
    const userinfo = await sandboxFetch(`${production().loginUrl}/services/oauth2/userinfo`, {
      ca: sandbox.tls.caCert,
      token: tokens.access_token,
    });
    expect(userinfo.json()).toMatchObject({
      sub: tokens.id,
      user_id: alex?.userId,
      organization_id: production().orgId,
      preferred_username: ALEX,
      name: 'Alex Wilber',
    });
    const missing = await sandboxFetch(tokens.id, { ca: sandbox.tls.caCert });
    expect([missing.status, missing.text]).toEqual([403, 'Missing_OAuth_Token']);
    const otherOrg = await sandboxFetch(
      tokens.id.replace(production().orgId, sandbox.salesforce.environments.sandbox.orgId),
      { ca: sandbox.tls.caCert, token: tokens.access_token },
    );
    expect([otherOrg.status, otherOrg.text]).toEqual([403, 'Wrong_Org']);
    await postForm(
      `${production().loginUrl}/services/oauth2/revoke`,
      { token: tokens.access_token },
      sandbox.tls.caCert,
    );
    const revoked = await sandboxFetch(tokens.id, {
      ca: sandbox.tls.caCert,
      token: tokens.access_token,
    });
    expect([revoked.status, revoked.text]).toEqual([403, 'Bad_OAuth_Token']);
  });

  it('keeps the environments apart: each login host signs in to its own org, users and instance', async () => {
    const sandboxEnv = sandbox.salesforce.environments.sandbox;
    expect(sandboxEnv.orgId).not.toBe(production().orgId);
    expect(
      new Set([
        production().loginUrl,
        production().instanceUrl,
        sandboxEnv.loginUrl,
        sandboxEnv.instanceUrl,
      ]).size,
    ).toBe(4);
    const tokens = await signIn(sandbox, 'sandbox', ALEX);
    expect(tokens.instance_url).toBe(sandboxEnv.instanceUrl);
    expect(tokens.id.startsWith(`${sandboxEnv.loginUrl}/id/${sandboxEnv.orgId}/`)).toBe(true);
    // Sandbox usernames carry the sandbox name.
    expect(
      (await sandboxFetch(tokens.id, { ca: sandbox.tls.caCert, token: tokens.access_token })).json<{
        username: string;
      }>().username,
    ).toBe(`${ALEX}.uat`);
    const productionTokens = await signIn(sandbox, 'production', ALEX);
    expect(
      (
        await rest(
          productionTokens.access_token,
          '/services/data/v64.0/limits',
          sandboxEnv.instanceUrl,
        )
      ).json(),
    ).toEqual(INVALID_SESSION);
    expect(
      (
        await rest(tokens.access_token, '/services/data/v64.0/limits', production().instanceUrl)
      ).json(),
    ).toEqual(INVALID_SESSION);
    expect(
      (
        await token(
          { grant_type: 'refresh_token', refresh_token: productionTokens.refresh_token ?? '' },
          sandboxEnv.loginUrl,
        )
      ).json(),
    ).toMatchObject({ error: 'invalid_grant' });
  });

  it('serves OAuth on the instance as a My Domain does, and an OpenID discovery document on the login host', async () => {
    // "OAuth Endpoints", https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_endpoints.htm
    const tokens = await signIn(sandbox, 'production', ALEX);
    const viaInstance = await token(
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' },
      production().instanceUrl,
    );
    expect(viaInstance.json()).toMatchObject({
      instance_url: production().instanceUrl,
      id: tokens.id,
    });
    const discovery = (
      await sandboxFetch(`${production().loginUrl}/.well-known/openid-configuration`, {
        ca: sandbox.tls.caCert,
      })
    ).json<Record<string, string>>();
    expect(discovery).toMatchObject({
      issuer: production().loginUrl,
      authorization_endpoint: `${production().loginUrl}/services/oauth2/authorize`,
      token_endpoint: `${production().loginUrl}/services/oauth2/token`,
      revocation_endpoint: `${production().loginUrl}/services/oauth2/revoke`,
      userinfo_endpoint: `${production().loginUrl}/services/oauth2/userinfo`,
    });
  });
});
