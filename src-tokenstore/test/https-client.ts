import { request } from 'node:https';

/** An answer as the tests see it. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
  readonly text: string;
}

/** JSON over real HTTPS trusting only the given CA (tests never disable verification). */
export function httpsJson(
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: unknown;
    rawBody?: string;
    ca: string;
  },
): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const payload =
      init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    const req = request(
      url,
      {
        method: init.method ?? 'GET',
        ca: init.ca,
        headers: {
          ...(payload !== undefined && init.rawBody === undefined
            ? { 'content-type': 'application/json' }
            : {}),
          ...init.headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => {
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
