import { request } from 'node:https';
import { rootCertificates } from 'node:tls';

/**
 * A minimal fetch for jose's JWKS download that trusts an extra CA (the local development CA) on
 * top of the system roots; global fetch cannot take a CA, and TLS verification stays on.
 */
export function createHttpsFetch(extraCa?: string) {
  // Passing `ca` replaces Node's roots, so the system roots are added back for a real IdP.
  const ca = extraCa ? [extraCa, ...rootCertificates] : undefined;
  return (url: string, options: { headers?: Headers; signal?: AbortSignal }): Promise<Response> =>
    new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'GET',
          headers: Object.fromEntries(options.headers?.entries() ?? []),
          signal: options.signal,
          ...(ca ? { ca } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(res.headers))
              if (typeof value === 'string') headers.set(name, value);
            resolve(
              new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers }),
            );
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
}

/** One request to an upstream (Entra ID, Dataverse), as the directory sync sends it. */
export interface UpstreamRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The whole exchange, connect to last byte; then the request fails with `ETIMEDOUT`. */
  readonly timeoutMs: number;
}

/** Its answer: status, headers and the body as text. */
export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export type UpstreamSend = (request: UpstreamRequest) => Promise<UpstreamResponse>;

/**
 * HTTPS requests with a method and a body, trusting `extraCa` besides the system roots like
 * `createHttpsFetch`. A socket error rejects with Node's error (its `code`: `ENOTFOUND`,
 * `ECONNREFUSED`, ...), so a caller can tell a wrong host from an upstream's refusal.
 */
export function createUpstreamSend(extraCa?: string): UpstreamSend {
  const ca = extraCa ? [extraCa, ...rootCertificates] : undefined;
  return ({ method, url, headers, body, timeoutMs }) =>
    new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          headers: {
            ...headers,
            ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
          },
          ...(ca ? { ca } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            clearTimeout(timer);
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(res.headers))
              if (typeof value === 'string') responseHeaders.set(name, value);
            resolve({
              status: res.statusCode ?? 500,
              headers: responseHeaders,
              text: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      const timer = setTimeout(
        () =>
          req.destroy(
            Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }),
          ),
        timeoutMs,
      );
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end(body);
    });
}
