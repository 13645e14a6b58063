import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

interface Page {
  readonly status: number;
  readonly location?: string;
  readonly body: string;
}

function send(
  url: string,
  method: 'GET' | 'POST',
  ca: string,
  form?: Record<string, string>,
): Promise<Page> {
  const target = new URL(url);
  const body = form ? new URLSearchParams(form).toString() : undefined;
  const headers = body
    ? {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(Buffer.byteLength(body)),
      }
    : {};
  return new Promise((resolve, reject) => {
    const onResponse = (res: IncomingMessage) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: text }),
      );
    };
    const req =
      target.protocol === 'https:'
        ? httpsRequest(target, { method, ca, headers }, onResponse)
        : httpRequest(target, { method, headers }, onResponse);
    req.on('error', reject);
    req.end(body);
  });
}

const decode = (value: string) =>
  value
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&');

/**
 * Plays the user at the Salesforce stand-in's login and "Allow Access?" page without a browser:
 * opens `authorizeUrl`, picks the user by username (or the UPN a sandbox username starts with),
 * presses Allow (or Deny), and follows the 302 to the app's loopback callback as the browser would.
 * Answers the callback URL, with its `code` (or `error`) and `state`.
 */
export async function completeSalesforceConsent(
  authorizeUrl: string,
  options: { user: string; allow?: boolean; ca: string; deliver?: boolean },
): Promise<URL> {
  const deliver = async (location: string) => {
    if (options.deliver !== false) await send(location, 'GET', options.ca);
    return new URL(location);
  };
  const page = await send(authorizeUrl, 'GET', options.ca);
  if (page.status === 302 && page.location) return deliver(page.location);
  if (page.status !== 200 || !page.body.includes('name="request"'))
    throw new Error(`login page not shown (${page.status}): ${page.body.slice(0, 300)}`);
  const action = decode(/<form[^>]*action="([^"]*)"/.exec(page.body)?.[1] ?? '');
  const requestId = decode(
    /<input type="hidden" name="request" value="([^"]*)">/.exec(page.body)?.[1] ?? '',
  );
  const wanted = options.user.toLowerCase();
  const user = [
    ...page.body.matchAll(
      /<input type="radio" name="user" value="([^"]*)"[^>]*> .*? <small>([^<]*)<\/small>/g,
    ),
  ].find((match) => {
    const username = decode(match[2] ?? '').toLowerCase();
    return username === wanted || username.startsWith(`${wanted}.`);
  });
  if (!user) throw new Error(`no user ${options.user} on the login page`);
  const answer = await send(new URL(action, authorizeUrl).toString(), 'POST', options.ca, {
    request: requestId,
    user: decode(user[1] ?? ''),
    decision: options.allow === false ? 'deny' : 'allow',
  });
  if (answer.status !== 302 || !answer.location)
    throw new Error(`no redirect to the callback (${answer.status}): ${answer.body.slice(0, 300)}`);
  return deliver(answer.location);
}
