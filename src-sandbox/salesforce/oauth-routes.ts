import { createHash, createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SALESFORCE_DEMO_CLIENT_ID } from '../../src-shared/demo-tenant';
import type { SigningKeys } from '../entra/signing-keys';
import type { FaultController } from '../faults/fault-controller';
import { resolveVersion } from './api-versions';
import { consentPage } from './consent-page';
import { identityBody, userInfoBody } from './identity';
import { sendOAuthError } from './salesforce-error';
import { normalizeId } from './salesforce-ids';
import type { SalesforceOrg, SalesforceUser } from './salesforce-org';
import { CODE_TTL_MS, type PendingAuthorization, type SalesforceState } from './salesforce-state';

/** What one environment's OAuth endpoints need. */
export interface OAuthEnvironment {
  readonly org: SalesforceOrg;
  readonly state: SalesforceState;
  readonly faults: FaultController;
  readonly keys: SigningKeys;
  /** `https://login.salesforce.com` or `https://test.salesforce.com` of this environment. */
  loginOrigin(): string;
  /** The org's My Domain, `https://<MyDomain>.my.salesforce.com`: the `instance_url`. */
  instanceOrigin(): string;
}

/** The scopes the demo connected app is configured with; a request without `scope` gets all of them. */
export const demoAppScopes = [
  'api',
  'id',
  'openid',
  'profile',
  'email',
  'refresh_token',
  'offline_access',
  'web',
];
// The stand-in's stand-in for the consumer secret that keys `signature` (the demo app is public and has none to give out).
const SIGNATURE_KEY = 'workstation-sandbox-salesforce-signature';

type Query = Record<string, string | undefined>;

/**
 * The demo connected app registers loopback callbacks. Salesforce compares `redirect_uri` with the
 * connected app's Callback URL ("OAuth 2.0 Web Server Flow",
 * https://help.salesforce.com/HTViewHelpDoc?id=remoteaccess_oauth_web_server_flow.htm), so a
 * real connected app must list the exact URL (port included) a desktop client listens on. The
 * stand-in accepts any port of http://localhost and http://127.0.0.1 so tests can listen on free
 * ports (the loopback rule of RFC 8252 section 7.3); the token request must still repeat the same
 * redirect_uri exactly.
 */
export function isLoopbackCallback(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      url.protocol === 'http:' &&
      (url.hostname === 'localhost' || url.hostname === '127.0.0.1') &&
      !url.username &&
      !url.password &&
      !url.hash
    );
  } catch {
    return false;
  }
}

/** Salesforce shows a bad client id or callback on its own page, as `error=...&error_description=...` text, and never redirects. */
const errorPage = (reply: FastifyReply, error: string, description: string) =>
  reply
    .code(400)
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><title>Error</title><h1>Remote Access Error</h1><p>error=${error}&amp;error_description=${encodeURIComponent(description)}</p>`,
    );

/** Sends the browser back to the app's callback with `params` and the echoed `state`. */
function toCallback(
  reply: FastifyReply,
  pending: Pick<PendingAuthorization, 'redirectUri' | 'state'>,
  params: Record<string, string>,
): FastifyReply {
  const target = new URL(pending.redirectUri);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  if (pending.state !== undefined) target.searchParams.set('state', pending.state);
  return reply.header('cache-control', 'no-cache, no-store').redirect(target.toString(), 302);
}

/** The bearer token of a request: `Authorization: Bearer|OAuth <token>`, or the `oauth_token` parameter. */
export function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header) : null;
  if (match) return match[1];
  const fromQuery = (request.query as Query | undefined)?.oauth_token;
  const fromBody =
    typeof request.body === 'object' && request.body !== null
      ? (request.body as Query).oauth_token
      : undefined;
  return fromQuery ?? fromBody;
}

/**
 * The OAuth 2.0 web server flow with PKCE, refresh, revocation and the identity service, served on
 * both the login host and the org's My Domain as Salesforce does ("OAuth Endpoints",
 * https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_endpoints.htm).
 */
export function registerOAuthRoutes(app: FastifyInstance, env: OAuthEnvironment): void {
  const { org, state } = env;

  app.get('/.well-known/openid-configuration', async (_request, reply) => {
    const origin = env.loginOrigin();
    return reply.send({
      issuer: origin,
      authorization_endpoint: `${origin}/services/oauth2/authorize`,
      token_endpoint: `${origin}/services/oauth2/token`,
      revocation_endpoint: `${origin}/services/oauth2/revoke`,
      userinfo_endpoint: `${origin}/services/oauth2/userinfo`,
      jwks_uri: `${origin}/id/keys`,
      scopes_supported: demoAppScopes,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'none'],
    });
  });
  app.get('/id/keys', async (_request, reply) => reply.send(env.keys.jwks));

  app.get<{ Querystring: Query }>('/services/oauth2/authorize', async (request, reply) => {
    const query = request.query;
    if (query.client_id !== SALESFORCE_DEMO_CLIENT_ID)
      return errorPage(reply, 'invalid_client_id', 'client identifier invalid');
    if (!query.redirect_uri || !isLoopbackCallback(query.redirect_uri))
      return errorPage(reply, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
    const target = { redirectUri: query.redirect_uri, state: query.state };
    if (query.response_type !== 'code')
      return toCallback(reply, target, {
        error: 'unsupported_response_type',
        error_description: 'response type not supported',
      });
    // The demo connected app requires PKCE ("Proof Key for Code Exchange (PKCE) Extension",
    // https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_pkce.htm). Salesforce
    // describes code_challenge as SHA-256 only: S256 or no method is accepted, `plain` is not.
    if (!query.code_challenge)
      return toCallback(reply, target, {
        error: 'invalid_request',
        error_description: 'missing required code challenge',
      });
    if (query.code_challenge_method !== undefined && query.code_challenge_method !== 'S256')
      return toCallback(reply, target, {
        error: 'invalid_request',
        error_description: 'invalid code challenge method',
      });
    const scopes = (query.scope ?? demoAppScopes.join(' ')).split(/\s+/).filter(Boolean);
    if (scopes.some((scope) => !demoAppScopes.includes(scope)))
      return toCallback(reply, target, {
        error: 'invalid_scope',
        error_description: 'the requested scope is not allowed',
      });
    // immediate=true asks for no interaction; the stand-in has no browser session to reuse.
    if (query.immediate === 'true')
      return toCallback(reply, target, {
        error: 'immediate_unsuccessful',
        error_description: 'immediate unsuccessful',
      });
    const requestId = state.newCode();
    state.pending.set(requestId, {
      redirectUri: query.redirect_uri,
      scopes,
      state: query.state,
      nonce: query.nonce,
      codeChallenge: query.code_challenge,
      createdAt: Date.now(),
    });
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        consentPage({
          requestId,
          action: '/services/oauth2/authorize',
          users: org.users,
          selected: query.login_hint,
          scopes,
          appName: 'Workstation',
          orgName: org.name,
        }),
      );
  });

  app.post<{ Body: Query | undefined }>('/services/oauth2/authorize', async (request, reply) => {
    const pending = state.pending.get(request.body?.request ?? '');
    if (!pending || Date.now() - pending.createdAt > CODE_TTL_MS)
      return errorPage(
        reply,
        'invalid_request',
        'this login request has expired; start again from the app',
      );
    state.pending.delete(request.body?.request ?? '');
    if (request.body?.decision !== 'allow')
      return toCallback(reply, pending, {
        error: 'access_denied',
        error_description: 'end-user denied authorization',
      });
    const user = org.users.find((candidate) => candidate.Id === request.body?.user);
    if (!user) return errorPage(reply, 'invalid_request', 'no such user in this org');
    request.sandboxUser = user.Id;
    const code = state.newCode();
    state.codes.set(code, { ...pending, user, used: false, expiresAt: Date.now() + CODE_TTL_MS });
    return toCallback(reply, pending, { code });
  });

  app.post<{ Body: Query | undefined }>('/services/oauth2/token', async (request, reply) => {
    const body = request.body ?? {};
    const knobs = env.faults.get('salesforce');
    if (!body.grant_type)
      return sendOAuthError(reply, 400, 'invalid_request', 'grant type is missing');
    if (body.client_id !== SALESFORCE_DEMO_CLIENT_ID)
      return sendOAuthError(reply, 400, 'invalid_client_id', 'client identifier invalid');
    if (body.client_secret !== undefined)
      return sendOAuthError(reply, 400, 'invalid_client', 'invalid client credentials');
    let user: SalesforceUser;
    let scopes: readonly string[];
    let refreshToken: string | undefined;
    let nonce: string | undefined;
    if (body.grant_type === 'authorization_code') {
      const code = state.codes.get(body.code ?? '');
      if (!code || code.used)
        return sendOAuthError(reply, 400, 'invalid_grant', 'invalid authorization code');
      code.used = true;
      if (Date.now() > code.expiresAt)
        return sendOAuthError(reply, 400, 'invalid_grant', 'expired authorization code');
      if (body.redirect_uri !== code.redirectUri)
        return sendOAuthError(
          reply,
          400,
          'redirect_uri_mismatch',
          'redirect_uri must match configuration',
        );
      // A challenge without a verifier is invalid_grant; a verifier that does not hash to the
      // challenge is invalid_request (web server flow, code_challenge parameter).
      if (code.codeChallenge !== undefined) {
        if (!body.code_verifier)
          return sendOAuthError(reply, 400, 'invalid_grant', 'invalid code verifier');
        if (
          createHash('sha256').update(body.code_verifier).digest('base64url') !== code.codeChallenge
        )
          return sendOAuthError(reply, 400, 'invalid_request', 'invalid code verifier');
      }
      ({ user, scopes, nonce } = code);
      if (scopes.includes('refresh_token') || scopes.includes('offline_access'))
        refreshToken = state.issueRefreshToken(user, scopes).token;
    } else if (body.grant_type === 'refresh_token') {
      // "OAuth 2.0 Refresh Token Flow", https://help.salesforce.com/HTViewHelpDoc?id=remoteaccess_oauth_refresh_token_flow.htm
      const grant = state.refreshTokens.get(body.refresh_token ?? '');
      if (!grant || grant.revoked)
        return sendOAuthError(reply, 400, 'invalid_grant', 'expired access/refresh token');
      ({ user, scopes } = grant);
      refreshToken = grant.token;
      if (knobs.refreshTokenRotation) {
        // Rotation: each refresh answers a new refresh token and spends the old one.
        grant.revoked = true;
        refreshToken = state.issueRefreshToken(user, scopes).token;
      }
    } else {
      return sendOAuthError(reply, 400, 'unsupported_grant_type', 'grant type not supported');
    }
    request.sandboxUser = user.Id;
    const session = state.issueSession(user, scopes, refreshToken);
    const issuedAt = String(session.issuedAt);
    const id = `${env.loginOrigin()}/id/${org.orgId}/${user.Id}`;
    const idToken = scopes.includes('openid')
      ? await env.keys.sign({
          iss: env.loginOrigin(),
          sub: id,
          aud: SALESFORCE_DEMO_CLIENT_ID,
          iat: Math.floor(session.issuedAt / 1000),
          exp: Math.floor(session.issuedAt / 1000) + 300,
          ...(nonce ? { nonce } : {}),
        })
      : undefined;
    const sendRefresh = body.grant_type === 'authorization_code' || knobs.refreshTokenRotation;
    // The documented field set: no expires_in; issued_at is epoch milliseconds as a string; the
    // refresh token only with the refresh_token (offline_access) scope and, on refresh, only when rotating.
    return reply
      .header('cache-control', 'no-cache, no-store')
      .type('application/json;charset=UTF-8')
      .send({
        access_token: session.token,
        ...(sendRefresh && refreshToken ? { refresh_token: refreshToken } : {}),
        signature: createHmac('sha256', SIGNATURE_KEY)
          .update(id + issuedAt)
          .digest('base64'),
        scope: scopes.join(' '),
        ...(idToken ? { id_token: idToken } : {}),
        instance_url: env.instanceOrigin(),
        id,
        token_type: 'Bearer',
        issued_at: issuedAt,
      });
  });

  // "Revoke OAuth Tokens", https://developer.salesforce.com/docs/platform/mobile-sdk/guide/oauth-revoking-tokens.html:
  // 200 on success; every error is 400 with unsupported_token_type or invalid_token.
  const revoke = async (token: string | undefined, reply: FastifyReply) => {
    if (!token || !(/^00D[A-Za-z0-9]{12}!/.test(token) || token.startsWith('5Aep')))
      return sendOAuthError(reply, 400, 'unsupported_token_type', 'Token type not supported');
    if (!state.revoke(token))
      return sendOAuthError(reply, 400, 'invalid_token', 'Token was invalid');
    return reply.code(200).header('cache-control', 'no-cache, no-store').send('');
  };
  app.post<{ Body: Query | undefined }>('/services/oauth2/revoke', async (request, reply) =>
    revoke(request.body?.token, reply),
  );
  app.get<{ Querystring: Query }>('/services/oauth2/revoke', async (request, reply) =>
    revoke(request.query.token, reply),
  );

  /**
   * The identity service answers errors as plain text codes: Missing_OAuth_Token, Bad_OAuth_Token,
   * Wrong_Org, Bad_Id, Bad_Version ("Identity URLs",
   * https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_openid.htm).
   */
  const identityCaller = (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearerOf(request);
    if (!token) return void reply.code(403).type('text/plain').send('Missing_OAuth_Token');
    const session = state.session(token, env.faults.get('salesforce').sessionTimeoutSec);
    if (
      !session ||
      !session.scopes.some((scope) => ['id', 'openid', 'profile', 'email', 'full'].includes(scope))
    )
      return void reply.code(403).type('text/plain').send('Bad_OAuth_Token');
    request.sandboxUser = session.user.Id;
    return session;
  };
  const identity = async (
    request: FastifyRequest<{ Params: { orgId: string; userId: string }; Querystring: Query }>,
    reply: FastifyReply,
  ) => {
    const session = identityCaller(request, reply);
    if (!session) return reply;
    if (normalizeId(request.params.orgId) !== org.orgId)
      return reply.code(403).type('text/plain').send('Wrong_Org');
    const user = org.users.find((candidate) => candidate.Id === normalizeId(request.params.userId));
    if (!user) return reply.code(404).type('text/plain').send('Bad_Id');
    const version =
      request.query.version === undefined
        ? undefined
        : resolveVersion(
            request.query.version === 'latest' ? 'latest' : `v${request.query.version}`,
          );
    if (request.query.version !== undefined && !version)
      return reply.code(406).type('text/plain').send('Bad_Version');
    return reply
      .type('application/json;charset=UTF-8')
      .send(
        identityBody(user, session.user, org, env.loginOrigin(), env.instanceOrigin(), version),
      );
  };
  app.get('/id/:orgId/:userId', identity);
  app.post('/id/:orgId/:userId', identity);
  const userinfo = async (request: FastifyRequest, reply: FastifyReply) => {
    const session = identityCaller(request, reply);
    if (!session) return reply;
    return reply
      .type('application/json;charset=UTF-8')
      .send(userInfoBody(session.user, org, env.loginOrigin(), env.instanceOrigin()));
  };
  app.get('/services/oauth2/userinfo', userinfo);
  app.post('/services/oauth2/userinfo', userinfo);
}
