import { request, type IncomingHttpHeaders } from 'node:http';

export interface RawRequest {
  readonly method?: string;
  /** Sent as is (no URL normalisation), so tests can send `..`, bad %-encodings and the like. */
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
  /** Half-closes the connection after the body, so a server still waiting for declared bytes sees the end. */
  readonly endSocket?: boolean;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A bound on how long the host may take: a hung request fails the test instead of the run. */
const ANSWER_WITHIN_MS = 10_000;

/**
 * Raw HTTP so tests control the Host, Origin and framing headers, which fetch would not let them
 * forge. One connection per request; an event stream (which never ends) answers its head only.
 */
export function send(url: string, init: RawRequest = {}): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    const options = {
      method: init.method ?? 'GET',
      headers: init.headers,
      agent: false,
      ...(init.path === undefined ? {} : { path: init.path }),
    };
    const req = request(url, options, (res) => {
      const answer = { status: res.statusCode ?? 0, headers: res.headers };
      if (String(res.headers['content-type']).startsWith('text/event-stream')) {
        resolve({ ...answer, body: '' });
        req.destroy();
        return;
      }
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ ...answer, body }));
      res.on('error', reject);
    });
    req.setTimeout(ANSWER_WITHIN_MS, () =>
      req.destroy(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`)),
    );
    req.on('error', reject);
    req.end(init.body);
    if (init.endSocket) req.on('finish', () => req.socket?.end());
  });
}
