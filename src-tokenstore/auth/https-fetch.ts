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
