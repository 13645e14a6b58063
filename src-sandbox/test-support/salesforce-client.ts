import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Sandbox, SalesforceEnvironment } from '../start-sandbox';
import { completeSalesforceConsent } from './salesforce-consent-driver';
import type { SandboxResponse } from './sandbox-fetch';

/** The Salesforce token endpoint's success answer. */
export interface SalesforceTokens {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly signature: string;
  readonly scope: string;
  readonly id_token?: string;
  readonly instance_url: string;
  readonly id: string;
  readonly token_type: string;
  readonly issued_at: string;
}

/** A PKCE pair as RFC 7636 defines it: a random verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A loopback "app" on a free port that records each callback it receives. */
export async function loopbackCallback(): Promise<{ uri: string; hits: URL[]; close(): void }> {
  const hits: URL[] = [];
  const server = createServer((req, res) => {
    hits.push(new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`));
    res.end('You can close this window.');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    uri: `http://localhost:${(server.address() as AddressInfo).port}/callback`,
    hits,
    close: () => server.close(),
  };
}

/** POSTs a form over HTTPS trusting only the sandbox CA. */
export function postForm(
  url: string,
  fields: Record<string, string>,
  ca: string,
  headers: Record<string, string> = {},
): Promise<SandboxResponse> {
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        ca,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: <T>() => JSON.parse(text) as T,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The authorize URL of an environment's login host for the demo connected app. */
export function authorizeUrl(loginUrl: string, params: Record<string, string | undefined>): string {
  const url = new URL('/services/oauth2/authorize', loginUrl);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

/**
 * Signs `user` in through the whole web server flow with a real PKCE verifier: the login page,
 * the loopback callback, the token request. Answers the token response.
 */
export async function signIn(
  sandbox: Sandbox,
  environment: SalesforceEnvironment,
  user: string,
  scope = 'api id refresh_token',
): Promise<SalesforceTokens> {
  const { loginUrl } = sandbox.salesforce.environments[environment];
  const app = await loopbackCallback();
  try {
    const { verifier, challenge } = pkcePair();
    const callback = await completeSalesforceConsent(
      authorizeUrl(loginUrl, {
        response_type: 'code',
        client_id: sandbox.salesforce.clientId,
        redirect_uri: app.uri,
        scope,
        state: 'st',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
      { user, ca: sandbox.tls.caCert },
    );
    const answer = await postForm(
      `${loginUrl}/services/oauth2/token`,
      {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code') ?? '',
        client_id: sandbox.salesforce.clientId,
        redirect_uri: app.uri,
        code_verifier: verifier,
      },
      sandbox.tls.caCert,
    );
    if (answer.status !== 200)
      throw new Error(`token request failed (${answer.status}): ${answer.text}`);
    return answer.json<SalesforceTokens>();
  } finally {
    app.close();
  }
}
