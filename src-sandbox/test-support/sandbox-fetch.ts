import { request } from 'node:https';

/** An answer as the sandbox's tests read it. */
export interface SandboxResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

/** HTTPS to a stand-in trusting only the sandbox CA. */
export function sandboxFetch(
  url: string,
  init: {
    ca: string;
    method?: string;
    token?: string;
    headers?: Record<string, string>;
    body?: unknown;
    /** Sent as is (with its own content-type header), instead of `body` as JSON. */
    rawBody?: string;
  },
): Promise<SandboxResponse> {
  return new Promise((resolve, reject) => {
    const payload =
      init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(payload && init.rawBody === undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    };
    const req = request(url, { method: init.method ?? 'GET', ca: init.ca, headers }, (res) => {
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
    });
    req.on('error', reject);
    req.end(payload);
  });
}
