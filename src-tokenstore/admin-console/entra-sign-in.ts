import { createHash } from 'node:crypto';
import { request, type Agent } from 'node:https';
import { z } from 'zod';
import { trustingAgent } from '../../src-node-shared/trusting-agent';

/** The console's app registration and where it signs admins in. */
export interface ConsoleSignInConfig {
  /** The console's application (client) id. */
  readonly clientId: string;
  /** `https://login.microsoftonline.com/<tenant id>`: the tenant's v2.0 endpoints sit below it. */
  readonly authority: string;
  /** The store's delegated scope: its access tokens carry the store's app roles in `roles`. */
  readonly scope: string;
  /** PEM of an extra CA to trust (the local CA in the demo and tests). */
  readonly ca?: string;
}

/** Why redeeming a code failed; shown to the admin by kind, the upstream's text never echoed. */
export class SignInFailed extends Error {
  constructor(readonly reason: string) {
    super(`sign-in failed: ${reason}`);
    this.name = 'SignInFailed';
  }
}

const tokenResponseSchema = z.object({ access_token: z.string().min(1).max(16_384) });
const errorResponseSchema = z.object({ error: z.string().max(100) });

/** The S256 code challenge of a PKCE verifier (RFC 7636 section 4.2). */
export const codeChallengeOf = (verifier: string): string =>
  createHash('sha256').update(verifier).digest('base64url');

/**
 * The authorization code flow with PKCE against Entra ID's v2.0 endpoints, run by the store's server
 * for the console (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow).
 * The console is a public client: it holds no secret, the PKCE verifier binds the code to the
 * sign-in that asked for it, and the access token is checked with the store's own JWT verifier.
 * Two requests of a documented wire did not justify a client library with a token cache of its own.
 */
export class EntraSignIn {
  readonly #agent: Agent;

  constructor(private readonly config: ConsoleSignInConfig) {
    this.#agent = trustingAgent(config.ca);
  }

  /** Where the browser goes to sign in. */
  authorizeUrl(options: { state: string; verifier: string; redirectUri: string }): string {
    const url = new URL(`${this.config.authority.replace(/\/+$/, '')}/oauth2/v2.0/authorize`);
    url.search = new URLSearchParams({
      client_id: this.config.clientId,
      response_type: 'code',
      // A redirect (GET) back: the sign-in cookie (SameSite=Lax) travels with it; form_post would not carry it.
      response_mode: 'query',
      redirect_uri: options.redirectUri,
      scope: `openid ${this.config.scope}`,
      state: options.state,
      code_challenge: codeChallengeOf(options.verifier),
      code_challenge_method: 'S256',
      prompt: 'select_account',
    }).toString();
    return url.toString();
  }

  /** Redeems the code for an access token to the store's API; throws SignInFailed. */
  async redeem(options: { code: string; verifier: string; redirectUri: string }): Promise<string> {
    const body = new URLSearchParams({
      client_id: this.config.clientId,
      grant_type: 'authorization_code',
      code: options.code,
      redirect_uri: options.redirectUri,
      code_verifier: options.verifier,
      scope: `openid ${this.config.scope}`,
    }).toString();
    const answer = await this.#post(
      `${this.config.authority.replace(/\/+$/, '')}/oauth2/v2.0/token`,
      body,
    );
    let json: unknown;
    try {
      json = JSON.parse(answer.text);
    } catch {
      throw new SignInFailed(`token endpoint answered ${answer.status} without JSON`);
    }
    if (answer.status !== 200) {
      const error = errorResponseSchema.safeParse(json);
      throw new SignInFailed(error.success ? error.data.error : `status ${answer.status}`);
    }
    const parsed = tokenResponseSchema.safeParse(json);
    if (!parsed.success) throw new SignInFailed('no access token in the answer');
    return parsed.data.access_token;
  }

  #post(url: string, body: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          agent: this.#agent,
          timeout: 10_000,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > 256 * 1024) req.destroy(new SignInFailed('answer too large'));
            else chunks.push(chunk);
          });
          res.on('error', reject);
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
        },
      );
      req.on('timeout', () => req.destroy(new SignInFailed('token endpoint timed out')));
      req.on('error', (error) =>
        reject(
          error instanceof SignInFailed ? error : new SignInFailed('token endpoint unreachable'),
        ),
      );
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
