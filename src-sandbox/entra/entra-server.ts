import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  ADMIN_CONSOLE_CLIENT_ID,
  DEMO_OTHER_TENANT_ID,
  DEMO_TENANT_ID,
  WORKSTATION_CLIENT_ID,
} from '../../src-shared/demo-tenant';
import { sampleUsers, usersOf, type SampleUser } from '../data/sample-users';
import type { FaultController } from '../faults/fault-controller';
import type { RequestCounter } from '../faults/request-counter';
import { createServiceApp } from '../http/service-app';
import type { LocalTls } from '../../src-dev-tls/local-ca';
import { AppRegistrations } from './app-registrations';
import { clientCredentialsGrant } from './client-credentials';
import { mfaClaimsChallenge, mfaRequired } from './conditional-access';
import { consentPage, formPostPage } from './consent-page';
import { sendEntraError } from './entra-error';
import { EntraState, newOpaque, type PendingAuthorization } from './entra-state';
import { parseScopes, sandboxResources, type ResourceScope } from './scopes';
import type { SigningKeys } from './signing-keys';
import { ACCESS_TOKEN_SECONDS, TokenIssuer } from './token-issuer';

const tenants = new Set([DEMO_TENANT_ID, DEMO_OTHER_TENANT_ID]);
const CODE_TTL_MS = 10 * 60_000;

/** What the Entra stand-in needs: TLS, keys, the orgs it issues Dataverse tokens for, faults. */
export interface EntraOptions {
  readonly tls: LocalTls;
  readonly keys: SigningKeys;
  readonly orgUrls: () => readonly string[];
  readonly faults: FaultController;
  readonly counter: RequestCounter;
  /** Confidential clients (client credentials); none by default. */
  readonly apps?: AppRegistrations;
}

/** Loopback redirect URIs, any port, as Entra allows for public desktop clients (RFC 8252). */
function isLoopbackRedirect(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      url.protocol === 'http:' &&
      (url.hostname === 'localhost' || url.hostname === '127.0.0.1') &&
      !url.username &&
      !url.hash
    );
  } catch {
    return false;
  }
}

/** An app registration of the sandbox's tenants: its name on the consent page and its redirect URIs. */
interface ClientRegistration {
  readonly name: string;
  redirectAllowed(uri: string, state: EntraState): boolean;
}

/**
 * The desktop app (public client, loopback redirects) and the token store's admin console (public
 * client whose https redirect URI on the store's origin is registered once the store is up).
 */
const clients: ReadonlyMap<string, ClientRegistration> = new Map<string, ClientRegistration>([
  [WORKSTATION_CLIENT_ID, { name: 'Workstation', redirectAllowed: isLoopbackRedirect }],
  [
    ADMIN_CONSOLE_CLIENT_ID,
    {
      name: 'Workstation admin console',
      redirectAllowed: (uri, state) =>
        state.redirectUris.get(ADMIN_CONSOLE_CLIENT_ID)?.has(uri) ?? false,
    },
  ],
]);

const errorPage = (reply: FastifyReply, code: number, message: string) =>
  reply
    .code(400)
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><title>Sign in error</title><h1>Sorry, but we're having trouble signing you in.</h1><p>AADSTS${code}: ${message}</p>`,
    );

/**
 * The Entra ID v2 stand-in: tenant-scoped discovery (both paths MSAL may ask), a real consent page
 * answering with form_post, the token endpoint (authorization code with PKCE S256 or plain,
 * single-use codes, refresh answering a new refresh token without revoking the one redeemed), JWKS,
 * admin consent, and Entra-shaped errors.
 */
export function createEntraApp(options: EntraOptions): {
  app: FastifyInstance;
  state: EntraState;
  setOrigin(origin: string): void;
  issuer: () => TokenIssuer;
  /** Registers an exact web redirect URI for a client (the admin console's, once the store listens). */
  addRedirectUri(clientId: string, uri: string): void;
} {
  const { faults } = options;
  const state = new EntraState();
  const apps = options.apps ?? new AppRegistrations();
  let origin = '';
  let issuer = new TokenIssuer(options.keys, origin);
  const app = createServiceApp('entra', options.tls, faults, options.counter, {
    throttled: (reply, retryAfter) => {
      reply.header('retry-after', String(retryAfter));
      return sendEntraError(
        reply,
        429,
        'temporarily_unavailable',
        90055,
        'The tenant is being throttled. Please retry after the time in Retry-After.',
      );
    },
    unavailable: (reply) =>
      sendEntraError(
        reply,
        503,
        'temporarily_unavailable',
        90033,
        'A transient error has occurred. Please try again.',
      ),
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
  const resources = () => sandboxResources(options.orgUrls());

  const discovery = (tenant: string) => {
    const tid = tenant === 'common' || tenant === 'organizations' ? '{tenantid}' : tenant;
    const base = `${origin}/${tenant}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: [
        'client_secret_post',
        'private_key_jwt',
        'client_secret_basic',
      ],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${origin}/${tid}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'oid',
      ],
      tenant_region_scope: 'WW',
      cloud_instance_name: 'microsoftonline.com',
      msgraph_host: 'graph.microsoft.com',
    };
  };
  const knownTenant = (tenant: string) =>
    tenants.has(tenant) || tenant === 'common' || tenant === 'organizations';

  for (const path of [
    '/:tenant/v2.0/.well-known/openid-configuration',
    '/:tenant/.well-known/openid-configuration',
  ]) {
    app.get<{ Params: { tenant: string } }>(path, async (request, reply) => {
      if (!knownTenant(request.params.tenant))
        return sendEntraError(
          reply,
          400,
          'invalid_tenant',
          90002,
          `Tenant '${request.params.tenant}' not found.`,
        );
      return reply
        .header('cache-control', 'max-age=86400, private')
        .header('access-control-allow-origin', '*')
        .send(discovery(request.params.tenant));
    });
  }
  for (const path of ['/:tenant/discovery/v2.0/keys', '/:tenant/discovery/keys']) {
    app.get(path, async (_request, reply) =>
      reply.header('cache-control', 'max-age=86400, private').send(options.keys.jwks),
    );
  }

  // The answer to the client: an auto-submitting form (form_post, what MSAL Node sends) or a redirect.
  const answer = (
    reply: FastifyReply,
    pending: Pick<PendingAuthorization, 'redirectUri' | 'responseMode' | 'state'>,
    fields: Record<string, string>,
  ) => {
    const all = { ...fields, ...(pending.state !== undefined ? { state: pending.state } : {}) };
    if (pending.responseMode === 'query') {
      const target = new URL(pending.redirectUri);
      for (const [name, value] of Object.entries(all)) target.searchParams.set(name, value);
      return reply.redirect(target.toString(), 302);
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(formPostPage(pending.redirectUri, all));
  };

  app.get<{ Params: { tenant: string }; Querystring: Record<string, string | undefined> }>(
    '/:tenant/oauth2/v2.0/authorize',
    async (request, reply) => {
      const { tenant } = request.params;
      const query = request.query;
      if (!knownTenant(tenant)) return errorPage(reply, 90002, `Tenant '${tenant}' not found.`);
      const clientId = query.client_id ?? '';
      const client = clients.get(clientId);
      if (!client)
        return errorPage(
          reply,
          700016,
          `Application with identifier '${clientId}' was not found in the directory.`,
        );
      if (!query.redirect_uri || !client.redirectAllowed(query.redirect_uri, state)) {
        return errorPage(
          reply,
          50011,
          `The redirect URI '${query.redirect_uri ?? ''}' specified in the request does not match the redirect URIs configured for the application '${clientId}'.`,
        );
      }
      const responseMode = query.response_mode === 'form_post' ? 'form_post' : 'query';
      const target = { redirectUri: query.redirect_uri, responseMode, state: query.state } as const;
      if (query.response_type !== 'code')
        return answer(reply, target, {
          error: 'unsupported_response_type',
          error_description: 'AADSTS70005: response_type must be code for this client.',
        });
      if (!query.code_challenge) {
        return answer(reply, target, {
          error: 'invalid_request',
          error_description:
            'AADSTS9002325: Proof Key for Code Exchange is required for this client.',
        });
      }
      // S256 (recommended) or plain; without a method the challenge is plain.
      // https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
      const codeChallengeMethod = query.code_challenge_method ?? 'plain';
      if (codeChallengeMethod !== 'S256' && codeChallengeMethod !== 'plain') {
        // RFC 7636 section 4.4.1: an unsupported transformation is an invalid_request.
        return answer(reply, target, {
          error: 'invalid_request',
          error_description: `AADSTS90023: Invalid request. The code_challenge_method '${codeChallengeMethod}' is not supported; use S256 or plain.`,
        });
      }
      const scopes = parseScopes(query.scope ?? '', resources());
      if (scopes.unknown.length > 0)
        return answer(reply, target, {
          error: 'invalid_scope',
          error_description: `AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope '${scopes.unknown.join(' ')}' does not exist.`,
        });
      if (query.prompt === 'none')
        return answer(reply, target, {
          error: 'login_required',
          error_description:
            'AADSTS50058: A silent sign-in request was sent but no user is signed in.',
        });
      // Kept so tests can check a client answered a claims challenge (it is otherwise only merged into the sign-in).
      if (query.claims) state.recordAuthorizeClaims(query.claims);

      const requestId = newOpaque(18);
      state.pending.set(requestId, {
        tenantId: tenant,
        clientId,
        redirectUri: query.redirect_uri,
        scope: query.scope ?? '',
        state: query.state,
        nonce: query.nonce,
        codeChallenge: query.code_challenge,
        codeChallengeMethod,
        responseMode,
        createdAt: Date.now(),
      });
      const people = tenants.has(tenant) ? usersOf(tenant) : sampleUsers;
      const permissions = [...scopes.byResource.entries()].flatMap(([resource, names]) =>
        names.map((name) => `${name} (${resource.prefix})`),
      );
      if (scopes.oidc.has('offline_access'))
        permissions.push('Maintain access to data you have given it access to');
      permissions.push('Sign you in and read your profile');
      const extraVerification = [...scopes.byResource.keys()].some((resource) =>
        mfaRequired(faults.get('entra').mfaRequiredFor, resource),
      );
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(
          consentPage({
            requestId,
            action: `/${tenant}/oauth2/v2.0/authorize`,
            users: people,
            selected: query.login_hint,
            permissions,
            appName: client.name,
            extraVerification,
          }),
        );
    },
  );

  app.post<{ Params: { tenant: string }; Body: Record<string, string | undefined> }>(
    '/:tenant/oauth2/v2.0/authorize',
    async (request, reply) => {
      const pending = state.pending.get(request.body?.request ?? '');
      if (!pending || Date.now() - pending.createdAt > CODE_TTL_MS)
        return errorPage(
          reply,
          50058,
          'This sign-in request has expired. Start again from Workstation.',
        );
      state.pending.delete(request.body?.request ?? '');
      if (request.body?.decision !== 'accept') {
        return answer(reply, pending, {
          error: 'access_denied',
          error_description: 'AADSTS65004: User declined to consent to access the app.',
        });
      }
      const user = sampleUsers.find(
        (candidate) =>
          candidate.oid === request.body?.user &&
          (candidate.tenantId === pending.tenantId || !tenants.has(pending.tenantId)),
      );
      if (!user)
        return errorPage(reply, 50034, 'The user account does not exist in this directory.');
      request.sandboxUser = user.oid;
      const requested = [...parseScopes(pending.scope, resources()).byResource.keys()];
      for (const resource of requested)
        state.userConsents.add(
          `${user.tenantId}|${user.oid}|${pending.clientId}|${resource.audience}`,
        );
      // An interactive sign-in to a resource under the MFA policy is where the user does the second factor.
      const mfa = requested.some((resource) =>
        mfaRequired(faults.get('entra').mfaRequiredFor, resource),
      );
      const code = newOpaque(48);
      state.codes.set(code, {
        ...pending,
        user,
        used: false,
        expiresAt: Date.now() + CODE_TTL_MS,
        mfa,
      });
      return answer(reply, pending, { code });
    },
  );

  app.post<{ Params: { tenant: string }; Body: Record<string, string | undefined> }>(
    '/:tenant/oauth2/v2.0/token',
    async (request, reply) => {
      const body = request.body ?? {};
      if (body.grant_type === 'client_credentials') {
        const app = apps.get(body.client_id ?? '');
        if (app) request.sandboxUser = app.servicePrincipalId;
        return clientCredentialsGrant(
          {
            tenant: request.params.tenant,
            body,
            authorization: request.headers.authorization,
            apps,
            resources: resources(),
            issuer,
            tokenEndpoint: `${origin}/${request.params.tenant}/oauth2/v2.0/token`,
            lifetimeSec: faults.get('entra').accessTokenLifetimeSec || ACCESS_TOKEN_SECONDS,
          },
          reply,
        );
      }
      const clientId = body.client_id ?? '';
      const client = clients.get(clientId);
      if (!client)
        return sendEntraError(
          reply,
          400,
          'unauthorized_client',
          700016,
          `Application with identifier '${body.client_id ?? ''}' was not found in the directory.`,
        );
      if (body.client_secret || body.client_assertion)
        return sendEntraError(
          reply,
          401,
          'invalid_client',
          700025,
          'Client is public so neither client_assertion nor client_secret should be presented.',
        );

      let user: SampleUser;
      let oidc: ReadonlySet<string>;
      let nonce: string | undefined;
      let mfa: boolean;
      if (body.grant_type === 'authorization_code') {
        const code = state.codes.get(body.code ?? '');
        if (!code)
          return sendEntraError(
            reply,
            400,
            'invalid_grant',
            9002313,
            'Invalid request. Request is malformed or invalid.',
          );
        if (code.clientId !== clientId)
          return sendEntraError(
            reply,
            400,
            'invalid_grant',
            9002313,
            'Invalid request. Request is malformed or invalid.',
          );
        if (code.used)
          return sendEntraError(
            reply,
            400,
            'invalid_grant',
            54005,
            'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
          );
        code.used = true;
        if (Date.now() > code.expiresAt)
          return sendEntraError(
            reply,
            400,
            'invalid_grant',
            70008,
            'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
          );
        if (body.redirect_uri !== code.redirectUri)
          return sendEntraError(
            reply,
            400,
            'invalid_grant',
            50011,
            'The redirect URI specified in the request does not match the one used to obtain the authorization code.',
          );
        const verifier = body.code_verifier ?? '';
        const derived =
          code.codeChallengeMethod === 'S256'
            ? createHash('sha256').update(verifier).digest('base64url')
            : verifier;
        if (derived !== code.codeChallenge) {
          return sendEntraError(
            reply,
            400,
            'invalid_grant',
            501481,
            'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
          );
        }
        user = code.user;
        oidc = parseScopes(`${code.scope} ${body.scope ?? ''}`, resources()).oidc;
        nonce = code.nonce;
        mfa = code.mfa;
      } else if (body.grant_type === 'refresh_token') {
        const issued = state.refreshTokens.get(body.refresh_token ?? '');
        if (faults.get('entra').refreshTokenExpired || issued?.revoked) {
          // An expired refresh token stays expired once the knob is cleared: this is the one revocation.
          if (issued) issued.revoked = true;
          return sendEntraError(
            reply,
            400,
            'invalid_grant',
            700082,
            'The refresh token has expired due to inactivity. The token was issued on a date and was inactive for 90.00:00:00.',
            'bad_token',
          );
        }
        if (!issued || issued.clientId !== body.client_id)
          return sendEntraError(
            reply,
            400,
            'invalid_grant',
            9002313,
            'Invalid request. Request is malformed or invalid.',
            'bad_token',
          );
        // Redeeming does not spend it: Entra answers a new refresh token but "doesn't revoke old refresh
        // tokens when used to fetch new access tokens", so a failed or repeated refresh can use it again.
        // https://learn.microsoft.com/entra/identity-platform/refresh-tokens
        user = issued.user;
        oidc = new Set([...issued.oidc, ...parseScopes(body.scope ?? '', resources()).oidc]);
        mfa = issued.mfa;
      } else {
        return sendEntraError(
          reply,
          400,
          'unsupported_grant_type',
          70003,
          `The app requested an unsupported grant type '${body.grant_type ?? ''}'.`,
        );
      }
      request.sandboxUser = user.oid;

      const scopes = parseScopes(body.scope ?? '', resources());
      if (scopes.unknown.length > 0)
        return sendEntraError(
          reply,
          400,
          'invalid_scope',
          70011,
          `The provided value for the input parameter 'scope' is not valid. The scope '${scopes.unknown.join(' ')}' does not exist.`,
        );
      if (scopes.byResource.size > 1)
        return sendEntraError(
          reply,
          400,
          'invalid_scope',
          700022,
          'The provided value for the input parameter scope is not valid because it contains more than one resource. Scope ' +
            (body.scope ?? '') +
            ' is not valid.',
        );
      // No resource scope asked: the token is for Graph's User.Read, as Entra answers.
      const [resource, permissions] = ([...scopes.byResource.entries()][0] ?? [
        resources().find((candidate) => candidate.name === 'graph'),
        ['User.Read'],
      ]) as [ResourceScope, readonly string[]];
      if (
        faults.get('entra').consentRequired &&
        !state.adminConsents.has(`${user.tenantId}|${clientId}`)
      ) {
        return sendEntraError(
          reply,
          400,
          'invalid_grant',
          65001,
          `The user or administrator has not consented to use the application with ID '${clientId}' named '${client.name}'. Send an interactive authorization request for this user and resource.`,
          'consent_required',
        );
      }
      if (!state.hasConsent(user.tenantId, user.oid, clientId, resource.audience)) {
        return sendEntraError(
          reply,
          400,
          'invalid_grant',
          65001,
          `The user or administrator has not consented to use the application with ID '${clientId}' named '${client.name}'. Send an interactive authorization request for this user and resource.`,
          'consent_required',
        );
      }
      // Conditional Access: without MFA in the session, Entra answers invalid_grant, AADSTS50076,
      // suberror basic_action and the claims challenge for the next interactive request.
      // https://learn.microsoft.com/entra/identity-platform/claims-challenge
      if (!mfa && mfaRequired(faults.get('entra').mfaRequiredFor, resource)) {
        return sendEntraError(
          reply,
          400,
          'invalid_grant',
          50076,
          `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${resource.audience}'.`,
          'basic_action',
          mfaClaimsChallenge(),
        );
      }

      const lifetimeSec = faults.get('entra').accessTokenLifetimeSec || ACCESS_TOKEN_SECONDS;
      const refreshToken = oidc.has('offline_access') ? newOpaque(64) : undefined;
      if (refreshToken)
        state.refreshTokens.set(refreshToken, {
          user,
          clientId,
          tenantId: user.tenantId,
          oidc,
          mfa,
          revoked: false,
        });
      return reply
        .header('cache-control', 'no-store, no-cache')
        .header('pragma', 'no-cache')
        .send({
          token_type: 'Bearer',
          scope: [
            ...permissions.map((name) => `${resource.prefix}/${name}`),
            ...[...oidc].filter((name) => name !== 'offline_access'),
          ].join(' '),
          expires_in: lifetimeSec,
          ext_expires_in: lifetimeSec,
          access_token: await issuer.accessToken(
            user,
            resource,
            permissions,
            clientId,
            lifetimeSec,
            mfa ? ['pwd', 'mfa'] : ['pwd'],
          ),
          ...(refreshToken ? { refresh_token: refreshToken } : {}),
          ...(oidc.has('openid') ? { id_token: await issuer.idToken(user, clientId, nonce) } : {}),
          ...(body.client_info === '1' ? { client_info: issuer.clientInfo(user) } : {}),
        });
    },
  );

  // Admin consent: an admin grants the app for the whole tenant, then is sent back with admin_consent=True.
  for (const path of ['/:tenant/v2.0/adminconsent', '/:tenant/adminconsent']) {
    app.get<{ Params: { tenant: string }; Querystring: Record<string, string | undefined> }>(
      path,
      async (request, reply) => {
        const { tenant } = request.params;
        const query = request.query;
        if (!tenants.has(tenant))
          return errorPage(
            reply,
            90002,
            `Tenant '${tenant}' not found. Admin consent needs a specific tenant, not 'common'.`,
          );
        if (query.client_id !== WORKSTATION_CLIENT_ID)
          return errorPage(reply, 700016, 'Application not found in the directory.');
        if (!query.redirect_uri || !isLoopbackRedirect(query.redirect_uri))
          return errorPage(reply, 50011, 'The redirect URI does not match the application.');
        const requestId = newOpaque(18);
        state.pending.set(requestId, {
          tenantId: tenant,
          clientId: WORKSTATION_CLIENT_ID,
          redirectUri: query.redirect_uri,
          scope: query.scope ?? '',
          state: query.state,
          nonce: undefined,
          codeChallenge: '',
          codeChallengeMethod: 'S256',
          responseMode: 'query',
          createdAt: Date.now(),
        });
        return reply.type('text/html; charset=utf-8').send(
          consentPage({
            requestId,
            action: `/${tenant}/v2.0/adminconsent`,
            users: usersOf(tenant).filter((person) => person.roles.length > 0),
            permissions: [
              `Grant Workstation ${query.scope ?? ''} for everyone in your organisation`,
            ],
            appName: 'Workstation',
          }),
        );
      },
    );
    app.post<{ Params: { tenant: string }; Body: Record<string, string | undefined> }>(
      path,
      async (request, reply) => {
        const pending = state.pending.get(request.body?.request ?? '');
        if (!pending) return errorPage(reply, 50058, 'This consent request has expired.');
        state.pending.delete(request.body?.request ?? '');
        if (request.body?.decision !== 'accept')
          return answer(reply, pending, {
            admin_consent: 'True',
            error: 'access_denied',
            error_description:
              'AADSTS65004: The resource owner or authorization server denied the request.',
          });
        state.adminConsents.add(`${pending.tenantId}|${pending.clientId}`);
        return answer(reply, pending, {
          admin_consent: 'True',
          tenant: pending.tenantId,
          scope: pending.scope,
        });
      },
    );
  }

  app.get('/:tenant/oauth2/v2.0/logout', async (_request, reply) =>
    reply
      .type('text/html')
      .send('<!doctype html><title>Signed out</title><p>You have signed out of the sandbox.</p>'),
  );

  return {
    app,
    state,
    setOrigin(value) {
      origin = value;
      issuer = new TokenIssuer(options.keys, origin);
    },
    issuer: () => issuer,
    addRedirectUri: (clientId, uri) => state.addRedirectUri(clientId, uri),
  };
}
