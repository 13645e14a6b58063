import { createHash, randomBytes } from 'node:crypto';
import axios, { AxiosError, type AxiosInstance } from 'axios';
import type { Logger } from 'pino';
import { trustingAgent } from '../../src-node-shared/trusting-agent';
import { z } from 'zod';
import {
  isWorkstationError,
  workstationError,
  type WorkstationError,
} from '../../src-shared/errors';
import { EnvelopeError, type Envelope, type EnvelopeContext } from '../secrets/envelope';
import type { IAuthStrategy } from './auth-strategy';
import type { IBlobStore } from './blob-store';
import { listenForRedirect, loopbackRedirect, outcomeOf, type Outcome } from './loopback-redirect';
import type { IBrowserOpener } from './msal-client-config';
import { signInOpener } from './sign-in-opener';

/** What a token endpoint answered, as the strategy keeps it. */
export interface TokenGrant {
  readonly accessToken: string;
  /** Where the API lives when the provider says so (Salesforce's `instance_url`). */
  readonly instanceUrl?: string;
  /** The provider's identity URL for this user (Salesforce's `id`). */
  readonly idUrl?: string;
  readonly scope?: string;
}

/** One connection's OAuth 2.0 client: the provider's endpoints, the app's registration, where the sign-in is kept. */
export interface OAuthPkceAuthOptions {
  /** "Salesforce · sandbox": how messages and the browser page name the connection. */
  readonly displayName: string;
  readonly clientId: string;
  readonly endpoints: {
    readonly authorize: string;
    readonly token: string;
    readonly revoke: string;
  };
  readonly scopes: readonly string[];
  /**
   * The loopback callback registered with the provider, e.g. `http://localhost:17170/callback`.
   * Some providers (Salesforce) compare it exactly, port included, so the port is fixed.
   */
  readonly redirectUri: string;
  /** The connected account's name, asked once at connect (`getJson` sends the new access token). */
  resolveUsername(grant: TokenGrant, getJson: (url: string) => Promise<unknown>): Promise<string>;
  readonly store: IBlobStore;
  readonly envelope: Envelope;
  readonly envelopeContext: EnvelopeContext;
  readonly logger: Logger;
  /** Called when the state a row shows may have changed. */
  readonly onChange: () => void;
  /** Extra CA besides the system roots (the demo's local CA). */
  readonly extraCa?: string;
  /** How long the browser has to come back (5 minutes). */
  readonly callbackTimeoutMs?: number;
  /** How long one request to the provider may take (15 seconds). */
  readonly httpTimeoutMs?: number;
}

const DEFAULT_CALLBACK_TIMEOUT_MS = 5 * 60_000;
const httpsUrl = z
  .string()
  .url()
  .refine((value) => value.startsWith('https://'), 'must be https');

/**
 * A token endpoint's success answer (RFC 6749 section 5.1). Salesforce adds `instance_url`, `id`
 * and `issued_at` (epoch milliseconds as a string) and sends no `expires_in`: its access token
 * lives as long as the session ("OAuth 2.0 Web Server Flow",
 * https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_web_server_flow.htm).
 */
const tokenAnswerSchema = z
  .object({
    access_token: z.string().min(1).max(8192),
    refresh_token: z.string().min(1).max(8192).optional(),
    token_type: z
      .string()
      .regex(/^bearer$/i)
      .optional(),
    instance_url: httpsUrl.optional(),
    id: httpsUrl.optional(),
    issued_at: z
      .string()
      .regex(/^\d{1,16}$/)
      .optional(),
    scope: z.string().max(2000).optional(),
  })
  .passthrough();
type TokenAnswer = z.infer<typeof tokenAnswerSchema>;

/** An OAuth error answer (RFC 6749 section 5.2). */
const oauthErrorSchema = z
  .object({ error: z.string(), error_description: z.string().optional() })
  .passthrough();

/** What the encrypted blob holds: the refresh material and what the connection needs without a network call. */
const savedSchema = z
  .object({
    v: z.literal(1),
    accessToken: z.string().min(1),
    refreshToken: z.string().min(1).optional(),
    instanceUrl: z.string().optional(),
    idUrl: z.string().optional(),
    issuedAt: z.string().optional(),
    scope: z.string().optional(),
    username: z.string(),
  })
  .strict();
type Saved = z.infer<typeof savedSchema>;

/**
 * The `oauth-pkce` auth strategy: OAuth 2.0 authorization code with PKCE S256 (RFC 7636) through
 * the system browser and a loopback redirect (RFC 8252 section 7.3), for providers outside Entra
 * (Salesforce). The refresh token, the access token and what came with them exist only in this
 * process's memory and in the connection's encrypted blob; nothing here logs a token, only reasons.
 * The browser opens only inside an explicit Connect; a dead refresh token is one "Reconnect".
 */
export class OAuthPkceAuth implements IAuthStrategy {
  readonly #http: AxiosInstance;
  readonly #redirect: URL;
  #saved: Saved | undefined;
  #loaded = false;
  #loading: Promise<void> | undefined;
  #refreshing: Promise<string> | undefined;
  #lost = false;
  #newer = false;
  #lastError: WorkstationError | undefined;

  constructor(private readonly options: OAuthPkceAuthOptions) {
    for (const endpoint of Object.values(options.endpoints)) {
      if (!httpsUrl.safeParse(endpoint).success)
        throw workstationError(
          'invalid_input',
          `${options.displayName}'s sign-in endpoints must be https URLs.`,
        );
    }
    this.#redirect = loopbackRedirect(options.redirectUri);
    // TLS is always verified: against the system roots, plus the extra CA when one is configured.
    this.#http = axios.create({
      timeout: options.httpTimeoutMs ?? 15_000,
      httpsAgent: trustingAgent(options.extraCa),
      headers: { accept: 'application/json' },
    });
  }

  /** The connected account, if any (reads the encrypted blob on first use). */
  async account(): Promise<{ readonly username: string } | undefined> {
    const saved = await this.#load();
    return saved ? { username: saved.username } : undefined;
  }

  /** Where the provider said the API lives (Salesforce's `instance_url`), once connected. */
  async apiBaseUrl(): Promise<string | undefined> {
    return (await this.#load())?.instanceUrl;
  }

  get lastError(): WorkstationError | undefined {
    return this.#lastError;
  }

  /** Whether the saved sign-in could not be opened on this device since the last connect. */
  get lost(): boolean {
    return this.#lost;
  }

  /** Whether the saved sign-in was written by a newer Workstation (left in place; update to use it). */
  get newer(): boolean {
    return this.#newer;
  }

  /**
   * The saved access token, or a new one from the refresh token when forced (after a 401). Any
   * number of concurrent forced callers share one refresh. Never opens a browser.
   */
  async getAccessToken(options: { readonly forceRefresh?: boolean } = {}): Promise<string> {
    const saved = await this.#load();
    if (!saved)
      throw (
        this.#lastError ??
        workstationError(
          'needs_reconnect',
          `${this.options.displayName} is not connected. Connect it in Settings > Integrations.`,
        )
      );
    if (!options.forceRefresh) return saved.accessToken;
    this.#refreshing ??= this.#refresh(saved).finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  /** The user's Connect: the provider's consent page in the browser, the code back on the loopback port. */
  async connect(
    browser: IBrowserOpener,
    loginHint?: string,
    signal?: AbortSignal,
  ): Promise<string> {
    try {
      await this.#load();
      // Saving this consent would overwrite a newer build's blob; say so before any browser opens.
      if (this.#newer) throw newerVersionError();
      const previous = this.#saved;
      // RFC 7636 section 4.1: 32 random octets, base64url, is a 43-character verifier; S256 challenge.
      const verifier = randomBytes(32).toString('base64url');
      const state = randomBytes(16).toString('base64url');
      const redirect = await listenForRedirect(
        this.#redirect,
        state,
        this.options.callbackTimeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS,
        this.options.displayName,
      );
      // The app stopped waiting: free the loopback port at once for the next Connect.
      signal?.addEventListener('abort', () => redirect.finish('failed'), { once: true });
      let outcome: Outcome = 'failed';
      try {
        const authorize = new URL(this.options.endpoints.authorize);
        const params = {
          response_type: 'code',
          client_id: this.options.clientId,
          redirect_uri: this.options.redirectUri,
          scope: this.options.scopes.join(' '),
          state,
          code_challenge: createHash('sha256').update(verifier).digest('base64url'),
          code_challenge_method: 'S256',
          ...(loginHint ? { login_hint: loginHint } : {}),
        };
        for (const [name, value] of Object.entries(params)) authorize.searchParams.set(name, value);
        // An opener may resolve only once its tab has loaded the callback (the web host's), and the
        // callback's page waits for the code exchange: wait for whichever comes first.
        const opening = signInOpener(browser, { authority: this.options.endpoints.authorize }).open(
          authorize.toString(),
          'connect',
        );
        opening.catch(() => undefined);
        const code = await Promise.race([redirect.code, opening.then(() => redirect.code)]);
        const answer = await this.#token(
          {
            grant_type: 'authorization_code',
            code,
            client_id: this.options.clientId,
            redirect_uri: this.options.redirectUri,
            code_verifier: verifier,
          },
          'connect',
        );
        const grant: TokenGrant = {
          accessToken: answer.access_token,
          ...(answer.instance_url ? { instanceUrl: answer.instance_url } : {}),
          ...(answer.id ? { idUrl: answer.id } : {}),
          ...(answer.scope ? { scope: answer.scope } : {}),
        };
        const username = await this.options.resolveUsername(grant, (url) =>
          this.#getJson(url, answer.access_token),
        );
        const saved: Saved = {
          v: 1,
          accessToken: answer.access_token,
          ...(answer.refresh_token ? { refreshToken: answer.refresh_token } : {}),
          ...(answer.instance_url ? { instanceUrl: answer.instance_url } : {}),
          ...(answer.id ? { idUrl: answer.id } : {}),
          ...(answer.issued_at ? { issuedAt: answer.issued_at } : {}),
          ...(answer.scope ? { scope: answer.scope } : {}),
          username,
        };
        this.#saved = saved;
        this.#loaded = true;
        this.#lost = false;
        this.#lastError = undefined;
        await this.#save(saved);
        outcome = 'signed_in';
        // The grant this one replaces would otherwise stay valid at the provider (Salesforce also
        // caps a user's grants per app): revoke it, best effort.
        const old = previous?.refreshToken ?? previous?.accessToken;
        if (old && old !== saved.refreshToken && old !== saved.accessToken) await this.#revoke(old);
        return username;
      } catch (error) {
        if (isWorkstationError(error)) outcome = outcomeOf(error.code);
        throw error;
      } finally {
        redirect.finish(outcome);
      }
    } catch (error) {
      this.#lastError = isWorkstationError(error) ? error : this.#mapFailure(error, 'connect');
      throw this.#lastError;
    } finally {
      this.options.onChange();
    }
  }

  /** Disconnect: revokes the grant at the provider (best effort), deletes the blob, forgets everything. */
  async disconnect(): Promise<void> {
    const saved = await this.#load().catch(() => this.#saved);
    const token = saved?.refreshToken ?? saved?.accessToken;
    if (token) await this.#revoke(token);
    await this.options.store.remove();
    this.#saved = undefined;
    this.#loaded = false;
    this.#lastError = undefined;
    this.#lost = false;
    this.#newer = false;
    this.options.onChange();
  }

  /** Reads and opens the blob once; envelope failures are handled as the MSAL cache's are (encrypted-cache-plugin.ts). */
  async #load(): Promise<Saved | undefined> {
    if (this.#loaded) return this.#saved;
    this.#loading ??= this.#read().finally(() => (this.#loading = undefined));
    await this.#loading;
    return this.#saved;
  }

  async #read(): Promise<void> {
    const { store, envelope, envelopeContext, logger, displayName, onChange } = this.options;
    const integration = envelopeContext.integration;
    let blob: string | undefined;
    try {
      blob = await store.read();
    } catch (error) {
      // Unreachable store: say so to this caller and try again at the next access.
      logger.warn(
        { integration, reason: isWorkstationError(error) ? error.code : 'unknown' },
        'saved sign-in could not be loaded',
      );
      throw error;
    }
    this.#loaded = true;
    if (blob === undefined) return;
    let reason: 'authentication_failed' | 'unsupported_version' | 'malformed';
    try {
      const parsed = savedSchema.safeParse(
        JSON.parse(envelope.open(blob, envelopeContext).toString('utf8')),
      );
      if (parsed.success) {
        this.#saved = parsed.data;
        return;
      }
      reason = 'malformed';
    } catch (error) {
      if (error instanceof EnvelopeError) reason = error.reason;
      else if (error instanceof SyntaxError) reason = 'malformed';
      else throw error;
    }
    if (reason === 'unsupported_version') {
      // Another device or a newer install of this one can still read it: never delete it only because it is newer.
      logger.warn(
        { integration, reason },
        'saved sign-in was written by a newer Workstation; leaving it in place',
      );
      this.#newer = true;
      this.#lastError = newerVersionError();
    } else {
      if (reason === 'authentication_failed') {
        // The salt that sealed it is gone: the blob is useless and its refresh token must not linger.
        logger.warn({ integration, reason }, 'saved sign-in did not authenticate; deleting it');
        await store.remove().catch(() => undefined);
      } else {
        logger.warn({ integration, reason }, 'saved sign-in is damaged; the next save replaces it');
      }
      this.#lost = true;
      this.#lastError = workstationError(
        'needs_reconnect',
        `Your saved ${displayName} sign-in could not be unlocked on this device. Choose Reconnect.`,
      );
    }
    onChange();
  }

  async #save(saved: Saved): Promise<void> {
    if (this.#newer) return;
    try {
      await this.options.store.write(
        this.options.envelope.seal(JSON.stringify(saved), this.options.envelopeContext),
      );
    } catch (error) {
      // Kept in memory; the next refresh or connect saves again.
      this.options.logger.warn(
        {
          integration: this.options.envelopeContext.integration,
          reason: isWorkstationError(error) ? error.code : 'unknown',
        },
        'sign-in not saved; kept in memory',
      );
    }
  }

  /** `grant_type=refresh_token`; a rotated refresh token replaces the saved one. */
  async #refresh(saved: Saved): Promise<string> {
    try {
      if (!saved.refreshToken) throw expired(this.options.displayName);
      const answer = await this.#token(
        {
          grant_type: 'refresh_token',
          refresh_token: saved.refreshToken,
          client_id: this.options.clientId,
        },
        'refresh',
      );
      const next: Saved = {
        ...saved,
        accessToken: answer.access_token,
        ...(answer.refresh_token ? { refreshToken: answer.refresh_token } : {}),
        ...(answer.instance_url ? { instanceUrl: answer.instance_url } : {}),
        ...(answer.id ? { idUrl: answer.id } : {}),
        ...(answer.issued_at ? { issuedAt: answer.issued_at } : {}),
      };
      this.#saved = next;
      await this.#save(next);
      if (this.#lastError) {
        this.#lastError = undefined;
        this.options.onChange();
      }
      return next.accessToken;
    } catch (error) {
      this.#lastError = isWorkstationError(error) ? error : this.#mapFailure(error, 'refresh');
      this.options.onChange();
      throw this.#lastError;
    }
  }

  async #token(form: Record<string, string>, phase: 'connect' | 'refresh'): Promise<TokenAnswer> {
    let data: unknown;
    try {
      data = (
        await this.#http.post(this.options.endpoints.token, new URLSearchParams(form), {
          maxRedirects: 0,
        })
      ).data;
    } catch (error) {
      throw this.#mapFailure(error, phase);
    }
    const parsed = tokenAnswerSchema.safeParse(data);
    if (!parsed.success)
      throw workstationError(
        'upstream_failed',
        `${this.options.displayName} answered the sign-in in a form Workstation does not understand.`,
      );
    return parsed.data;
  }

  async #getJson(url: string, accessToken: string): Promise<unknown> {
    if (!httpsUrl.safeParse(url).success)
      throw workstationError(
        'upstream_failed',
        `${this.options.displayName} named an identity address that is not https.`,
      );
    try {
      return (await this.#http.get(url, { headers: { authorization: `Bearer ${accessToken}` } }))
        .data;
    } catch (error) {
      throw this.#mapFailure(error, 'connect');
    }
  }

  /** Best effort: a failed revocation is logged by reason and never stops a disconnect. */
  async #revoke(token: string): Promise<void> {
    try {
      await this.#http.post(this.options.endpoints.revoke, new URLSearchParams({ token }));
    } catch (error) {
      this.options.logger.warn(
        { integration: this.options.envelopeContext.integration, reason: reasonOf(error) },
        'token revocation failed; the sign-in is forgotten here anyway',
      );
    }
  }

  /** A failed request to the provider, in the user's words. */
  #mapFailure(error: unknown, phase: 'connect' | 'refresh'): WorkstationError {
    const name = this.options.displayName;
    if (isWorkstationError(error)) return error;
    if (!(error instanceof AxiosError))
      return workstationError('internal', `The ${name} sign-in failed unexpectedly.`, {}, error);
    const status = error.response?.status;
    if (status === undefined) {
      const timedOut = error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT';
      return workstationError(
        'upstream_unavailable',
        timedOut ? `${name} took too long to answer.` : `Workstation cannot reach ${name}.`,
      );
    }
    if (status === 429 || status >= 500)
      return workstationError(
        'upstream_unavailable',
        `${name} is having trouble right now; Workstation will try again shortly.`,
      );
    const oauth = oauthErrorSchema.safeParse(error.response?.data);
    const code = oauth.success ? oauth.data.error : undefined;
    // A refused refresh token (expired, revoked, or the grant deleted) can only be replaced by a new consent (RFC 6749 section 5.2).
    if (phase === 'refresh' && code === 'invalid_grant') return expired(name);
    if (code === 'invalid_client' || code === 'invalid_client_id' || code === 'unauthorized_client')
      return workstationError(
        'unavailable',
        `${name} does not accept Workstation's app registration (${code}). Ask your administrator to check it.`,
      );
    return workstationError(
      'upstream_failed',
      `${name} did not complete the sign-in (${code && /^[\w-]{1,64}$/.test(code) ? code : `HTTP ${status}`}). Choose ${phase === 'refresh' ? 'Reconnect' : 'Connect'} to try again.`,
    );
  }
}

const expired = (name: string) =>
  workstationError('needs_reconnect', `Your ${name} sign-in has expired. Choose Reconnect.`);

/** What the card says about a blob this build is too old to read. */
const newerVersionError = () =>
  workstationError(
    'unavailable',
    'This connection was saved by a newer version of Workstation. Update Workstation to use it.',
  );

/** Why a request failed, for logs: an OAuth error code, an HTTP status or a network code; never a body or a token. */
function reasonOf(error: unknown): string {
  if (!(error instanceof AxiosError)) return 'unknown';
  const oauth = oauthErrorSchema.safeParse(error.response?.data);
  if (oauth.success && /^[\w-]{1,64}$/.test(oauth.data.error)) return oauth.data.error;
  return error.response ? `http_${error.response.status}` : (error.code ?? 'network');
}
