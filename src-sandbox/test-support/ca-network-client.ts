import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { request } from 'node:https';

/**
 * An MSAL Node network module that trusts the sandbox's CA. MSAL 7 uses the global fetch, which
 * cannot take a CA (https://github.com/AzureAD/microsoft-authentication-library-for-js/blob/dev/lib/msal-node/src/network/HttpClient.ts); this keeps TLS verification on with an explicit CA.
 */
export function createCaNetworkClient(ca: string): INetworkModule {
  const send = <T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const req = request(
        url,
        { method, ca, headers: options?.headers, timeout: 30_000 },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers))
              if (value !== undefined)
                headers[name] = Array.isArray(value) ? value.join(', ') : value;
            let body: unknown = text;
            try {
              body = JSON.parse(text);
            } catch {
              // Non-JSON bodies are passed through as text, as MSAL's own client does.
            }
            resolve({ status: res.statusCode ?? 0, headers, body: body as T });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      req.end(options?.body);
    });
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
