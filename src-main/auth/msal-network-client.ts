import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';

/**
 * MSAL Node's network module over node:https, trusting the system roots plus an optional extra CA
 * (the demo sandbox's local CA). MSAL 7 uses the global fetch, which cannot be given a CA
 * (https://github.com/AzureAD/microsoft-authentication-library-for-js/blob/dev/lib/msal-node/src/network/HttpClient.ts); TLS verification always stays on.
 */
export function createMsalNetworkClient(
  options: { extraCa?: string; timeoutMs?: number } = {},
): INetworkModule {
  const ca = options.extraCa ? [options.extraCa, ...rootCertificates] : undefined;
  const send = <T>(
    method: 'GET' | 'POST',
    url: string,
    init?: NetworkRequestOptions,
    timeoutMs = options.timeoutMs ?? 30_000,
  ): Promise<NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const req = request(
        url,
        { method, headers: init?.headers, timeout: timeoutMs, ...(ca ? { ca } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers))
              if (value !== undefined)
                headers[name] = Array.isArray(value) ? value.join(', ') : value;
            let body: unknown = text;
            try {
              body = JSON.parse(text);
            } catch {
              // MSAL reads non-JSON bodies (rare error pages) as text.
            }
            resolve({ status: res.statusCode ?? 0, headers, body: body as T });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`request to ${new URL(url).host} timed out`)));
      req.on('error', reject);
      req.end(init?.body);
    });
  return {
    sendGetRequestAsync: (url, init, timeout) => send('GET', url, init, timeout),
    sendPostRequestAsync: (url, init) => send('POST', url, init),
  };
}
