import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { sampleUsers } from '../data/sample-users';

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

/** The hidden fields and action of the first form on a page. */
function formOf(html: string): { action: string; fields: Record<string, string> } {
  const action = decode(/<form[^>]*action="([^"]*)"/.exec(html)?.[1] ?? '');
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
    fields[decode(match[1] ?? '')] = decode(match[2] ?? '');
  return { action, fields };
}

/**
 * Plays the user at the sandbox's consent page without a browser: opens `authorizeUrl`, picks the
 * user, presses Accept (or Cancel), and delivers the resulting form_post to the app's loopback
 * redirect URI, exactly as the browser's auto-submitting form would. Use it as MSAL's `openBrowser`.
 */
export async function completeConsent(
  authorizeUrl: string,
  options: { user: string; accept?: boolean; ca: string },
): Promise<void> {
  await consentTab(authorizeUrl, options);
}

/** `completeConsent`, answering the page the app's loopback showed the browser tab. */
export async function consentTab(
  authorizeUrl: string,
  options: { user: string; accept?: boolean; ca: string },
): Promise<string> {
  const page = await send(authorizeUrl, 'GET', options.ca);
  if (page.status === 302 && page.location)
    return (await send(page.location, 'GET', options.ca)).body;
  if (page.status !== 200 || !page.body.includes('name="request"'))
    throw new Error(`consent page not shown (${page.status}): ${page.body.slice(0, 300)}`);
  const user = sampleUsers.find(
    (candidate) => candidate.upn.toLowerCase() === options.user.toLowerCase(),
  );
  if (!user) throw new Error(`no sample user ${options.user}`);
  const { action, fields } = formOf(page.body);
  const answer = await send(new URL(action, authorizeUrl).toString(), 'POST', options.ca, {
    ...fields,
    user: user.oid,
    decision: options.accept === false ? 'cancel' : 'accept',
  });
  if (answer.status === 302 && answer.location)
    return (await send(answer.location, 'GET', options.ca)).body;
  const post = formOf(answer.body);
  if (!post.action)
    throw new Error(`no form_post in the answer (${answer.status}): ${answer.body.slice(0, 300)}`);
  // What the app's loopback page showed the browser tab.
  return (await send(post.action, 'POST', options.ca, post.fields)).body;
}

/** Follows the loopback page's meta refresh, as a browser would, and answers where it leads. */
export async function followRefresh(body: string, ca: string): Promise<string> {
  const target = /http-equiv="refresh" content="0;url=([^"]+)"/.exec(body)?.[1];
  if (!target) return body;
  return (await send(decode(target), 'GET', ca)).body;
}
