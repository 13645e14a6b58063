import { sandboxFetch, type SandboxResponse } from './sandbox-fetch';

/** POSTs `application/x-www-form-urlencoded` fields (a token request) to a stand-in. */
export function postForm(
  url: string,
  fields: Record<string, string>,
  ca: string,
  headers: Record<string, string> = {},
): Promise<SandboxResponse> {
  return sandboxFetch(url, {
    ca,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    rawBody: new URLSearchParams(fields).toString(),
  });
}
