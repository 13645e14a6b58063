import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { z } from 'zod';
import type { DirectorySettings } from '../../src-shared/tokenstore/directory-api';
import type { UpstreamSend } from '../auth/https-fetch';
import type { SecretReader } from './secret-reader';
import { SyncFailure } from './sync-failure';
import { transportFailure } from './transport-failure';

/** An app-only access token for one Dataverse org. */
export interface AppToken {
  readonly accessToken: string;
  readonly expiresAt: number;
}

/** How long a client assertion lives: short, as the certificate-credentials page advises. */
const ASSERTION_LIFETIME_S = 600;
/** A cached token is renewed this long before it expires. */
const RENEW_BEFORE_MS = 5 * 60_000;

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
});

const tokenErrorSchema = z.object({
  error: z.string().optional(),
  error_description: z.string().optional(),
  error_codes: z.array(z.number()).optional(),
});

/**
 * Entra ID's AADSTS codes, each with what the admin should do
 * (https://learn.microsoft.com/entra/identity-platform/reference-error-codes). Decided on the code,
 * never on the description's text, which Microsoft may reword.
 */
const TOKEN_ERRORS: Record<number, { code: SyncFailure['code']; message: string }> = {
  7000215: {
    code: 'invalid_client_secret',
    message:
      'Entra ID refused the client secret (AADSTS7000215). Use the secret’s value, not its ID, and check it belongs to this app registration.',
  },
  7000222: {
    code: 'client_secret_expired',
    message:
      'The client secret has expired (AADSTS7000222). Create a new one in the app registration and update the referenced secret.',
  },
  700027: {
    code: 'invalid_client_assertion',
    message:
      'Entra ID refused the certificate assertion (AADSTS700027). Upload this certificate to the app registration, or check the key matches it.',
  },
  700016: {
    code: 'app_not_found',
    message:
      'Entra ID does not know this client id in this tenant (AADSTS700016). Check the client id and tenant id, and that the app is consented in the tenant.',
  },
  500011: {
    code: 'org_not_found',
    message:
      'Entra ID knows no resource at this org URL in the tenant (AADSTS500011): check the org URL names your Dynamics 365 environment.',
  },
  90002: {
    code: 'tenant_not_found',
    message: 'Entra ID does not know this tenant (AADSTS90002). Check the tenant id.',
  },
};

/** `x5t#S256`: the base64url SHA-256 thumbprint of the certificate's DER encoding. */
function thumbprintS256(certificatePem: string): string {
  const der = new X509Certificate(certificatePem).raw;
  return createHash('sha256').update(der).digest('base64url');
}

/**
 * OAuth 2.0 client credentials against Entra ID, for `<org>/.default`
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow). With a
 * certificate it sends a PS256 assertion with `x5t#S256`, `aud` the token endpoint and a 10-minute
 * lifetime (https://learn.microsoft.com/entra/identity-platform/certificate-credentials); with a
 * secret, the secret. Either is read from where the settings point when a token is needed, and
 * tokens are kept in memory only, until five minutes before they expire.
 */
export class ClientCredentials {
  readonly #cache = new Map<string, AppToken>();

  constructor(
    private readonly deps: {
      readonly secrets: SecretReader;
      readonly now: () => number;
      readonly timeoutMs?: number;
    },
  ) {}

  /** The token endpoint of the settings' tenant. */
  static tokenEndpoint(settings: DirectorySettings): string {
    return `${settings.authorityHost}/${encodeURIComponent(settings.tenantId)}/oauth2/v2.0/token`;
  }

  /** A token for the settings' org, from the cache or a new one; `fresh` skips the cache (after a 401). */
  async token(settings: DirectorySettings, send: UpstreamSend, fresh = false): Promise<string> {
    // Keyed by the credential too: settings that now name another secret must not reuse the old token.
    const key = JSON.stringify([
      settings.authorityHost,
      settings.tenantId,
      settings.clientId,
      settings.orgUrl,
      settings.credential,
    ]);
    const cached = this.#cache.get(key);
    if (!fresh && cached && cached.expiresAt - RENEW_BEFORE_MS > this.deps.now())
      return cached.accessToken;
    const token = await this.#acquire(settings, send);
    this.#cache.set(key, token);
    return token.accessToken;
  }

  async #acquire(settings: DirectorySettings, send: UpstreamSend): Promise<AppToken> {
    const endpoint = ClientCredentials.tokenEndpoint(settings);
    const form = new URLSearchParams({
      client_id: settings.clientId,
      scope: `${settings.orgUrl}/.default`,
      grant_type: 'client_credentials',
    });
    const credential = settings.credential;
    if (credential.kind === 'secret') {
      form.set('client_secret', await this.deps.secrets.read(credential.secret, 'client secret'));
    } else {
      form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      form.set('client_assertion', await this.#assertion(settings, endpoint));
    }
    let response;
    try {
      response = await send({
        method: 'POST',
        url: endpoint,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        timeoutMs: this.deps.timeoutMs ?? 30_000,
      });
    } catch (error) {
      throw transportFailure(error, 'Entra ID', endpoint);
    }
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      body = undefined;
    }
    if (response.status === 200) {
      const parsed = tokenResponseSchema.safeParse(body);
      if (parsed.success)
        return {
          accessToken: parsed.data.access_token,
          expiresAt: this.deps.now() + parsed.data.expires_in * 1000,
        };
      throw new SyncFailure('token_failed', 'Entra ID answered a token in an unexpected format.');
    }
    const error = tokenErrorSchema.safeParse(body);
    const codes = error.success ? (error.data.error_codes ?? []) : [];
    for (const code of codes) {
      const known = TOKEN_ERRORS[code];
      if (known) throw new SyncFailure(known.code, known.message, `AADSTS${code}`);
    }
    const first = codes[0];
    throw new SyncFailure(
      'token_failed',
      `Entra ID refused the token request (HTTP ${response.status}${error.success && error.data.error ? `, ${error.data.error}` : ''}).`,
      first === undefined ? null : `AADSTS${first}`,
    );
  }

  async #assertion(settings: DirectorySettings, audience: string): Promise<string> {
    if (settings.credential.kind !== 'certificate') throw new Error('not a certificate');
    const [keyPem, certificatePem] = await Promise.all([
      this.deps.secrets.read(settings.credential.privateKey, 'certificate private key'),
      this.deps.secrets.read(settings.credential.certificate, 'certificate'),
    ]);
    let key;
    let thumbprint;
    try {
      key = await importPKCS8(keyPem, 'PS256');
      thumbprint = thumbprintS256(certificatePem);
    } catch (error) {
      throw new SyncFailure(
        'credential_unreadable',
        'The certificate or its private key is not readable PEM (a PKCS#8 private key and an X.509 certificate).',
        null,
        { cause: error },
      );
    }
    const now = Math.floor(this.deps.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'PS256', typ: 'JWT', 'x5t#S256': thumbprint })
      .setIssuer(settings.clientId)
      .setSubject(settings.clientId)
      .setAudience(audience)
      .setJti(randomUUID())
      .setNotBefore(now)
      .setIssuedAt(now)
      .setExpirationTime(now + ASSERTION_LIFETIME_S)
      .sign(key);
  }
}
