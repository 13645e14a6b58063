import { httpsJson, type TestResponse } from '../../test/https-client';

/**
 * A browser as far as the console's tests need one: a cookie jar (name=value per origin, as the
 * server set them) and forms posted url-encoded. Redirects are followed by the test, step by step.
 */
export class ConsoleBrowser {
  readonly #jar = new Map<string, Map<string, string>>();

  constructor(private readonly ca: string) {}

  cookies(origin: string): ReadonlyMap<string, string> {
    return this.#jar.get(origin) ?? new Map();
  }

  /** Every Set-Cookie line of the last answer from `origin`, as sent. */
  lastSetCookies: string[] = [];

  async get(url: string, headers: Record<string, string> = {}): Promise<TestResponse> {
    return this.#send(url, 'GET', undefined, headers);
  }

  async post(
    url: string,
    fields: Record<string, string | string[]>,
    headers: Record<string, string> = {},
  ) {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields))
      for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
    return this.#send(url, 'POST', body.toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    });
  }

  /** The hidden CSRF token of a page's forms. */
  static csrfOf(page: TestResponse): string {
    return /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  }

  async #send(
    url: string,
    method: string,
    rawBody: string | undefined,
    headers: Record<string, string>,
  ) {
    const origin = new URL(url).origin;
    const jar = this.#jar.get(origin) ?? new Map<string, string>();
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const answer = await httpsJson(url, {
      method,
      ca: this.ca,
      rawBody,
      headers: { ...(cookie ? { cookie } : {}), ...headers },
    });
    const set = answer.headers['set-cookie'];
    this.lastSetCookies = set === undefined ? [] : Array.isArray(set) ? set : [set];
    for (const line of this.lastSetCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some(
        (attribute) => attribute.trim().toLowerCase() === 'max-age=0',
      );
      if (expired || !value) jar.delete(name);
      else jar.set(name, value);
    }
    this.#jar.set(origin, jar);
    return answer;
  }
}
