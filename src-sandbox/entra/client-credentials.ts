import type { FastifyReply } from 'fastify';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { AppRegistrations, ConfidentialApp } from './app-registrations';
import { sendEntraError } from './entra-error';
import type { ResourceScope } from './scopes';
import type { TokenIssuer } from './token-issuer';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** What the client-credentials grant needs from the token endpoint. */
export interface ClientCredentialsContext {
  readonly tenant: string;
  readonly body: Record<string, string | undefined>;
  readonly authorization: string | undefined;
  readonly apps: AppRegistrations;
  readonly resources: readonly ResourceScope[];
  readonly issuer: TokenIssuer;
  /** The token endpoint of the tenant as the client reached it: an assertion's `aud`. */
  readonly tokenEndpoint: string;
  readonly lifetimeSec: number;
}

/** `client_secret_basic`: RFC 6749 section 2.3.1, both halves form-urlencoded. */
function basicCredentials(
  authorization: string | undefined,
): { id: string; secret: string } | undefined {
  if (!authorization?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const unescape = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
  return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
}

/**
 * The OAuth 2.0 client credentials grant of the v2 token endpoint
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow): a client
 * secret (post or basic) or a certificate assertion
 * (https://learn.microsoft.com/entra/identity-platform/certificate-credentials), one
 * `<resource>/.default` scope, an app-only token without refresh token. Errors carry the AADSTS codes
 * listed at https://learn.microsoft.com/azure/developer/java/sdk/troubleshooting-authentication-service-principal.
 */
export async function clientCredentialsGrant(
  context: ClientCredentialsContext,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const { body, tenant } = context;
  const basic = basicCredentials(context.authorization);
  const clientId = body.client_id ?? basic?.id ?? '';
  const app = context.apps.get(clientId);
  if (!app || app.tenantId !== tenant)
    return sendEntraError(
      reply,
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  const secret = body.client_secret ?? basic?.secret;
  let appidacr: '1' | '2';
  if (body.client_assertion !== undefined) {
    const refused = await checkAssertion(context, app, reply);
    if (refused) return refused;
    appidacr = '2';
  } else if (secret !== undefined) {
    const match = app.secrets.find((candidate) => candidate.value === secret);
    if (!match)
      return sendEntraError(
        reply,
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
      );
    if (Date.now() >= match.expiresAt)
      return sendEntraError(
        reply,
        401,
        'invalid_client',
        7000222,
        `The provided client secret keys for app '${app.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
      );
    appidacr = '1';
  } else {
    return sendEntraError(
      reply,
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }

  // Client credentials take exactly `<resource>/.default`: permissions are the registration's, never the request's.
  const scope = (body.scope ?? '').trim();
  const items = scope.split(/\s+/).filter(Boolean);
  if (items.length !== 1 || !items[0]?.endsWith('/.default'))
    return sendEntraError(
      reply,
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  const resourceId = items[0].slice(0, -'/.default'.length);
  const resource = context.resources.find(
    (candidate) =>
      candidate.prefix.toLowerCase() === resourceId.toLowerCase() ||
      candidate.prefix.toLowerCase() === `${resourceId.toLowerCase()}/`,
  );
  if (!resource)
    return sendEntraError(
      reply,
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resourceId} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    );
  const roles = app.appRoles[resource.prefix] ?? [];
  return reply
    .header('cache-control', 'no-store, no-cache')
    .header('pragma', 'no-cache')
    .send({
      token_type: 'Bearer',
      expires_in: context.lifetimeSec,
      ext_expires_in: context.lifetimeSec,
      access_token: await context.issuer.appAccessToken(
        app,
        resource,
        roles,
        appidacr,
        context.lifetimeSec,
      ),
    });
}

/** Verifies a certificate assertion; answers the refusal, or undefined when it holds. */
async function checkAssertion(
  context: ClientCredentialsContext,
  app: ConfidentialApp,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  const { body } = context;
  const refuse = (code: number, message: string) =>
    sendEntraError(reply, 401, 'invalid_client', code, message);
  if (body.client_assertion_type !== JWT_BEARER)
    return sendEntraError(
      reply,
      400,
      'invalid_request',
      50027,
      `Invalid client_assertion_type '${body.client_assertion_type ?? ''}'; expected '${JWT_BEARER}'.`,
    );
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(body.client_assertion ?? '');
  } catch {
    return refuse(50027, 'JWT token is invalid or malformed.');
  }
  // Either thumbprint names the certificate: x5t#S256 (SHA-256, current) or x5t (SHA-1, older clients).
  const sha256 = header['x5t#S256'];
  const certificate = app.certificates.find(
    (candidate) =>
      (typeof sha256 === 'string' && candidate.x5tS256 === sha256) ||
      (header.x5t !== undefined && candidate.x5t === header.x5t),
  );
  if (!certificate)
    return refuse(
      700027,
      `Client assertion failed signature validation. (Reason - The key was not found., Thumbprint of key used by client: '${String(sha256 ?? header.x5t ?? '')}'. Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.)`,
    );
  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
  try {
    ({ payload } = await jwtVerify(body.client_assertion ?? '', certificate.publicKey, {
      algorithms: ['RS256', 'PS256'],
      requiredClaims: ['exp', 'aud', 'iss', 'sub', 'jti'],
      clockTolerance: 300,
    }));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED' || code === 'ERR_JWT_CLAIM_VALIDATION_FAILED')
      return refuse(
        700024,
        `Client assertion is not within its valid time range. ${(error as Error).message}`,
      );
    return refuse(700027, 'Client assertion contains an invalid signature.');
  }
  if (payload.iss !== app.clientId || payload.sub !== app.clientId)
    return refuse(
      700021,
      "Client assertion application identifier doesn't match 'client_id' parameter.",
    );
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audiences.includes(context.tokenEndpoint))
    return refuse(
      700023,
      `Client assertion audience claim does not match Realm issuer. Expected '${context.tokenEndpoint}'.`,
    );
  // No replay check on `jti`: MSAL reuses one assertion until it nears expiry
  // (https://github.com/AzureAD/microsoft-authentication-library-for-js/blob/dev/lib/msal-node/src/client/ClientAssertion.ts),
  // and Entra accepts that.
  return undefined;
}
