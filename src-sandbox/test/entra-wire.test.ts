import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_CONSOLE_CLIENT_ID,
  DEMO_TENANT_ID,
  TOKENSTORE_APP_ID,
  TOKENSTORE_SCOPE,
  WORKSTATION_CLIENT_ID,
} from '../../src-shared/demo-tenant';
import { startSandbox, type Sandbox } from '../start-sandbox';
import { sandboxFetch } from '../test-support/sandbox-fetch';

/** A loopback "app" that records the form_post the consent page sends it. */
async function loopback() {
  const posts: Record<string, string>[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      posts.push(Object.fromEntries(new URLSearchParams(body)));
      res.end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    uri: `http://localhost:${(server.address() as AddressInfo).port}/`,
    posts,
    close: () => server.close(),
  };
}

// As the v2.0 endpoints are documented: https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc and
// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow.
describe('Entra ID stand-in wire facts', () => {
  let sandbox: Sandbox;
  const postForm = async (url: string, fields: Record<string, string>) => {
    const { request } = await import('node:https');
    const body = new URLSearchParams(fields).toString();
    return new Promise<{ status: number; text: string; location?: string }>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          ca: sandbox.tls.caCert,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text, location: res.headers.location }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  };

  /** Runs the consent page by hand and answers the code the app's loopback received (`method` null: no code_challenge_method sent). */
  async function code(
    scope: string,
    verifier: string,
    app: Awaited<ReturnType<typeof loopback>>,
    method: 'S256' | 'plain' | null = 'S256',
  ): Promise<string> {
    const challenge =
      method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
    const authorize = `${sandbox.entra.authority()}/oauth2/v2.0/authorize?client_id=${WORKSTATION_CLIENT_ID}&response_type=code&response_mode=form_post&redirect_uri=${encodeURIComponent(app.uri)}&scope=${encodeURIComponent(scope)}&state=s1&code_challenge=${challenge}${method ? `&code_challenge_method=${method}` : ''}&clidata=ignored&x-client-SKU=msal.js.node`;
    const page = await sandboxFetch(authorize, { ca: sandbox.tls.caCert });
    expect(page.text).toContain('>Accept</button>');
    const requestId = /name="request" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const user =
      sandbox.users.find((candidate) => candidate.upn.startsWith('adele.vance'))?.oid ?? '';
    const answer = await postForm(`${sandbox.entra.authority()}/oauth2/v2.0/authorize`, {
      request: requestId,
      user,
      decision: 'accept',
    });
    expect(answer.text).toContain('onload="document.forms[0].submit()"');
    const fields = Object.fromEntries(
      [...answer.text.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((match) => [
        match[1],
        match[2],
      ]),
    );
    expect(fields.state).toBe('s1');
    return fields.code ?? '';
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
  });
  afterAll(async () => sandbox?.stop());

  it('serves discovery at both paths with the issuer on the same host, and a JWKS with kid', async () => {
    for (const path of [
      '/v2.0/.well-known/openid-configuration',
      '/.well-known/openid-configuration',
    ]) {
      const doc = (
        await sandboxFetch(`${sandbox.entra.authority()}${path}`, { ca: sandbox.tls.caCert })
      ).json<Record<string, string>>();
      expect(doc.issuer).toBe(`${sandbox.entra.origin}/${DEMO_TENANT_ID}/v2.0`);
      for (const key of [
        'authorization_endpoint',
        'token_endpoint',
        'jwks_uri',
        'end_session_endpoint',
      ])
        expect(doc[key]).toMatch(new RegExp(`^${sandbox.entra.origin}/`));
    }
    const common = (
      await sandboxFetch(`${sandbox.entra.origin}/common/v2.0/.well-known/openid-configuration`, {
        ca: sandbox.tls.caCert,
      })
    ).json<Record<string, string>>();
    expect(common.issuer).toBe(`${sandbox.entra.origin}/{tenantid}/v2.0`);
    const keys = (await sandboxFetch(sandbox.entra.jwksUri, { ca: sandbox.tls.caCert })).json<{
      keys: { kid: string; kty: string }[];
    }>();
    expect(keys.keys[0]).toMatchObject({ kty: 'RSA', kid: expect.any(String) });
    const unknown = await sandboxFetch(
      `${sandbox.entra.origin}/nope/v2.0/.well-known/openid-configuration`,
      { ca: sandbox.tls.caCert },
    );
    expect(unknown.json()).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
  });

  it('issues v2 token-store tokens with the claims the store checks; codes are single-use; PKCE is enforced', async () => {
    const app = await loopback();
    try {
      const verifier = randomBytes(32).toString('base64url');
      const authCode = await code(
        `${TOKENSTORE_SCOPE} openid profile offline_access`,
        verifier,
        app,
      );
      const tokenUrl = `${sandbox.entra.authority()}/oauth2/v2.0/token`;
      const wrongVerifier = await postForm(tokenUrl, {
        client_id: WORKSTATION_CLIENT_ID,
        grant_type: 'authorization_code',
        code: authCode,
        redirect_uri: app.uri,
        code_verifier: 'wrong',
        scope: TOKENSTORE_SCOPE,
      });
      expect(JSON.parse(wrongVerifier.text)).toMatchObject({
        error: 'invalid_grant',
        error_codes: [501481],
      });
      const secondCode = await code(
        `${TOKENSTORE_SCOPE} openid profile offline_access`,
        verifier,
        app,
      );
      const ok = await postForm(tokenUrl, {
        client_id: WORKSTATION_CLIENT_ID,
        grant_type: 'authorization_code',
        code: secondCode,
        redirect_uri: app.uri,
        code_verifier: verifier,
        scope: TOKENSTORE_SCOPE,
        client_info: '1',
      });
      const tokens = JSON.parse(ok.text) as Record<string, string | number>;
      expect(tokens).toMatchObject({
        token_type: 'Bearer',
        expires_in: 3599,
        ext_expires_in: 3599,
        refresh_token: expect.any(String),
        id_token: expect.any(String),
      });
      expect(JSON.parse(Buffer.from(String(tokens.client_info), 'base64url').toString())).toEqual({
        uid: sandbox.users.find((u) => u.upn.startsWith('adele'))?.oid,
        utid: DEMO_TENANT_ID,
      });
      const claims = decodeJwt(String(tokens.access_token));
      expect(decodeProtectedHeader(String(tokens.access_token))).toMatchObject({
        alg: 'RS256',
        typ: 'JWT',
        kid: expect.any(String),
      });
      expect(claims).toMatchObject({
        ver: '2.0',
        aud: TOKENSTORE_APP_ID,
        iss: sandbox.entra.issuer(DEMO_TENANT_ID),
        scp: 'access_as_user',
        tid: DEMO_TENANT_ID,
        roles: ['Workstation.Admin'],
        azp: WORKSTATION_CLIENT_ID,
      });
      for (const claim of ['exp', 'nbf', 'iat', 'oid', 'preferred_username'])
        expect(claims[claim]).toBeDefined();
      const reuse = await postForm(tokenUrl, {
        client_id: WORKSTATION_CLIENT_ID,
        grant_type: 'authorization_code',
        code: secondCode,
        redirect_uri: app.uri,
        code_verifier: verifier,
      });
      expect(JSON.parse(reuse.text)).toMatchObject({
        error: 'invalid_grant',
        error_codes: [54005],
      });
      const multi = await postForm(tokenUrl, {
        client_id: WORKSTATION_CLIENT_ID,
        grant_type: 'refresh_token',
        refresh_token: String(tokens.refresh_token),
        scope: `${TOKENSTORE_SCOPE} https://graph.microsoft.com/Calendars.Read`,
      });
      expect(JSON.parse(multi.text)).toMatchObject({
        error: 'invalid_scope',
        error_codes: [700022],
      });
      expect(JSON.parse(multi.text).error_description).toMatch(
        /^AADSTS700022: .*Trace ID: .*Correlation ID: /,
      );
    } finally {
      app.close();
    }
  });

  it("answers Graph's User.Read when a token request names no resource, however many Dataverse orgs there are", async () => {
    expect(sandbox.dataverse.orgUrls.length).toBeGreaterThan(1);
    const app = await loopback();
    try {
      const verifier = randomBytes(32).toString('base64url');
      const authCode = await code(
        'https://graph.microsoft.com/User.Read openid profile',
        verifier,
        app,
      );
      const answer = await postForm(`${sandbox.entra.authority()}/oauth2/v2.0/token`, {
        client_id: WORKSTATION_CLIENT_ID,
        grant_type: 'authorization_code',
        code: authCode,
        redirect_uri: app.uri,
        code_verifier: verifier,
        scope: 'openid profile',
      });
      const tokens = JSON.parse(answer.text) as Record<string, string>;
      expect([answer.status, tokens.scope]).toEqual([
        200,
        'https://graph.microsoft.com/User.Read openid profile',
      ]);
      expect(decodeJwt(tokens.access_token ?? '')).toMatchObject({
        aud: 'https://graph.microsoft.com',
        scp: 'User.Read',
      });
    } finally {
      app.close();
    }
  });

  // https://learn.microsoft.com/entra/identity-platform/refresh-tokens: "Refresh tokens replace
  // themselves with a fresh token upon every use. The Microsoft identity platform doesn't revoke old
  // refresh tokens when used to fetch new access tokens."
  it('does not revoke a refresh token when it is redeemed: the same one works twice, each time with a fresh one', async () => {
    const app = await loopback();
    try {
      const verifier = randomBytes(32).toString('base64url');
      const authCode = await code(`${TOKENSTORE_SCOPE} openid offline_access`, verifier, app);
      const tokenUrl = `${sandbox.entra.authority()}/oauth2/v2.0/token`;
      const first = JSON.parse(
        (
          await postForm(tokenUrl, {
            client_id: WORKSTATION_CLIENT_ID,
            grant_type: 'authorization_code',
            code: authCode,
            redirect_uri: app.uri,
            code_verifier: verifier,
            scope: TOKENSTORE_SCOPE,
          })
        ).text,
      ) as Record<string, string>;
      const redeem = async () => {
        const answer = await postForm(tokenUrl, {
          client_id: WORKSTATION_CLIENT_ID,
          grant_type: 'refresh_token',
          refresh_token: first.refresh_token ?? '',
          scope: TOKENSTORE_SCOPE,
        });
        return { status: answer.status, body: JSON.parse(answer.text) as Record<string, string> };
      };
      const once = await redeem();
      const twice = await redeem();
      expect([once.status, twice.status]).toEqual([200, 200]);
      expect(once.body.access_token).toEqual(expect.any(String));
      expect(twice.body.access_token).toEqual(expect.any(String));
      expect(
        new Set([first.refresh_token, once.body.refresh_token, twice.body.refresh_token]).size,
      ).toBe(3);
    } finally {
      app.close();
    }
  });

  // https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow (code_challenge_method):
  // S256 is recommended, plain is allowed, and without the parameter the challenge is taken as plain.
  // Any other method is refused as RFC 7636 section 4.4.1 says: invalid_request at the authorize step.
  it('accepts PKCE plain (the verifier is the challenge) and S256, takes a missing method as plain, refuses other methods', async () => {
    const app = await loopback();
    try {
      const tokenUrl = `${sandbox.entra.authority()}/oauth2/v2.0/token`;
      const redeem = (authCode: string, verifier: string) =>
        postForm(tokenUrl, {
          client_id: WORKSTATION_CLIENT_ID,
          grant_type: 'authorization_code',
          code: authCode,
          redirect_uri: app.uri,
          code_verifier: verifier,
          scope: TOKENSTORE_SCOPE,
        });
      for (const method of ['plain', null, 'S256'] as const) {
        const verifier = randomBytes(32).toString('base64url');
        const ok = await redeem(
          await code(`${TOKENSTORE_SCOPE} openid`, verifier, app, method),
          verifier,
        );
        expect([method, ok.status, JSON.parse(ok.text).token_type]).toEqual([
          method,
          200,
          'Bearer',
        ]);
      }
      // plain compares as is: the S256 form of the verifier is not the verifier.
      const verifier = randomBytes(32).toString('base64url');
      const wrong = await redeem(
        await code(`${TOKENSTORE_SCOPE} openid`, verifier, app, 'plain'),
        createHash('sha256').update(verifier).digest('base64url'),
      );
      expect(JSON.parse(wrong.text)).toMatchObject({
        error: 'invalid_grant',
        error_codes: [501481],
      });

      const other = await sandboxFetch(
        `${sandbox.entra.authority()}/oauth2/v2.0/authorize?client_id=${WORKSTATION_CLIENT_ID}&response_type=code&response_mode=query&redirect_uri=${encodeURIComponent('http://localhost:1/')}&scope=openid&state=m1&code_challenge=${verifier}&code_challenge_method=S512`,
        { ca: sandbox.tls.caCert },
      );
      expect(other.status).toBe(302);
      const back = new URL(String(other.headers.location)).searchParams;
      expect([back.get('error'), back.get('state')]).toEqual(['invalid_request', 'm1']);
      expect(back.get('error_description')).toMatch(/^AADSTS\d+: .*code_challenge_method/);
    } finally {
      app.close();
    }
  });

  it('shows redirect URI mismatches on the page instead of redirecting, and ignores unknown parameters', async () => {
    const page = await sandboxFetch(
      `${sandbox.entra.authority()}/oauth2/v2.0/authorize?client_id=${WORKSTATION_CLIENT_ID}&response_type=code&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&scope=openid`,
      { ca: sandbox.tls.caCert },
    );
    expect(page.status).toBe(400);
    expect(page.text).toContain('AADSTS50011');
    const noPkce = await sandboxFetch(
      `${sandbox.entra.authority()}/oauth2/v2.0/authorize?client_id=${WORKSTATION_CLIENT_ID}&response_type=code&response_mode=query&redirect_uri=${encodeURIComponent('http://localhost:1/')}&scope=openid&state=z`,
      { ca: sandbox.tls.caCert },
    );
    expect(noPkce.status).toBe(302);
    expect(new URL(String(noPkce.headers.location)).searchParams.get('error')).toBe(
      'invalid_request',
    );
  });

  it('grants admin consent and redirects back with admin_consent=True', async () => {
    const redirect = 'http://localhost:9/admin';
    const page = await sandboxFetch(
      `${sandbox.entra.authority()}/v2.0/adminconsent?client_id=${WORKSTATION_CLIENT_ID}&scope=${encodeURIComponent(`${sandbox.dataverse.orgUrl}/.default`)}&redirect_uri=${encodeURIComponent(redirect)}&state=a1`,
      { ca: sandbox.tls.caCert },
    );
    const requestId = /name="request" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const admin = sandbox.users.find((user) => user.upn.startsWith('adele'))?.oid ?? '';
    const { request } = await import('node:https');
    const location = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${sandbox.entra.authority()}/v2.0/adminconsent`,
        {
          method: 'POST',
          ca: sandbox.tls.caCert,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
        (res) => {
          res.resume();
          resolve(String(res.headers.location));
        },
      );
      req.on('error', reject);
      req.end(
        new URLSearchParams({ request: requestId, user: admin, decision: 'accept' }).toString(),
      );
    });
    const back = new URL(location);
    expect([
      back.origin + back.pathname,
      back.searchParams.get('admin_consent'),
      back.searchParams.get('tenant'),
      back.searchParams.get('state'),
    ]).toEqual(['http://localhost:9/admin', 'True', DEMO_TENANT_ID, 'a1']);
  });

  // A second app registration, as a tenant has one per app: the token store's admin console, a
  // client whose https redirect URI must be registered exactly
  // (https://learn.microsoft.com/entra/identity-platform/reply-url), with the app role assignments
  // of the user in `roles` of tokens for the store's API
  // (https://learn.microsoft.com/entra/identity-platform/howto-add-app-roles-in-apps).
  it('knows the admin console as its own app: exact registered redirect URI, azp of its tokens, roles', async () => {
    const redirect = 'https://localhost:1/admin/auth/callback';
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = (uri: string) =>
      `${sandbox.entra.authority()}/oauth2/v2.0/authorize?client_id=${ADMIN_CONSOLE_CLIENT_ID}&response_type=code&response_mode=query&redirect_uri=${encodeURIComponent(uri)}&scope=${encodeURIComponent(`openid ${TOKENSTORE_SCOPE}`)}&state=c1&code_challenge=${challenge}&code_challenge_method=S256`;
    const unregistered = await sandboxFetch(authorize(redirect), { ca: sandbox.tls.caCert });
    expect(unregistered.text).toContain('AADSTS50011');
    sandbox.entra.addRedirectUri(ADMIN_CONSOLE_CLIENT_ID, redirect);
    const page = await sandboxFetch(authorize(redirect), { ca: sandbox.tls.caCert });
    expect(page.text).toContain('Workstation admin console');
    const requestId = /name="request" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const adele = sandbox.users.find((candidate) => candidate.upn.startsWith('adele.vance'));
    const answer = await postForm(`${sandbox.entra.authority()}/oauth2/v2.0/authorize`, {
      request: requestId,
      user: adele?.oid ?? '',
      decision: 'accept',
    });
    expect(answer.status).toBe(302);
    const back = new URL(answer.location ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(redirect);
    expect(back.searchParams.get('state')).toBe('c1');
    const exchange = (clientId: string) =>
      postForm(`${sandbox.entra.authority()}/oauth2/v2.0/token`, {
        client_id: clientId,
        grant_type: 'authorization_code',
        code: back.searchParams.get('code') ?? '',
        redirect_uri: redirect,
        code_verifier: verifier,
        scope: `openid ${TOKENSTORE_SCOPE}`,
      });
    // A code is redeemed only by the app it was issued to.
    expect((await exchange(WORKSTATION_CLIENT_ID)).status).toBe(400);
    const token = await exchange(ADMIN_CONSOLE_CLIENT_ID);
    expect(token.status).toBe(200);
    const claims = decodeJwt(JSON.parse(token.text).access_token as string);
    expect([claims.aud, claims.azp, claims.roles]).toEqual([
      TOKENSTORE_APP_ID,
      ADMIN_CONSOLE_CLIENT_ID,
      ['Workstation.Admin'],
    ]);
  });
});
