import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { workstationError, type WorkstationError } from '../../src-shared/errors';

/** How a browser sign-in ended, as the waiting tab tells it. */
export type Outcome = 'signed_in' | 'declined' | 'admin_consent' | 'failed';

/** The tab's outcome for a connect that failed with `code` (a declined consent, admin approval, ...). */
export function outcomeOf(code: string | undefined): Outcome {
  if (code === 'consent_declined') return 'declined';
  if (code === 'needs_admin_consent') return 'admin_consent';
  return 'failed';
}

/** The registered redirect as a loopback URL: plain http on 127.0.0.1, [::1] or localhost, with a fixed port (RFC 8252 sections 7.3 and 8.3). */
export function loopbackRedirect(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw workstationError(
      'invalid_input',
      'The sign-in redirect must be a loopback URL such as http://localhost:17170/callback.',
    );
  }
  if (
    url.protocol !== 'http:' ||
    !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) ||
    url.port === '' ||
    url.search ||
    url.hash ||
    url.username ||
    url.password
  ) {
    throw workstationError(
      'invalid_input',
      'The sign-in redirect must be a loopback URL such as http://localhost:17170/callback.',
    );
  }
  return url;
}

/** A browser sign-in on its way back to the loopback port. */
export interface PendingRedirect {
  /** The authorization code once the browser returns with the expected `state`. */
  readonly code: Promise<string>;
  /** Shows the waiting tab what happened and stops listening. */
  finish(outcome: Outcome): void;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The page the browser tab shows: what happened, and to go back to Workstation. */
export function callbackPage(outcome: Outcome, displayName: string): string {
  const [heading, detail] =
    outcome === 'signed_in'
      ? [
          `You are signed in to ${displayName}.`,
          'You can close this tab and return to Workstation.',
        ]
      : outcome === 'declined'
        ? [
            `You declined the sign-in to ${displayName}.`,
            'Return to Workstation; choose Connect there if you want to try again.',
          ]
        : outcome === 'admin_consent'
          ? [
              `${displayName} needs an administrator's approval first.`,
              'You are not signed in yet. Return to Workstation: the card has a link to send to your administrator.',
            ]
          : [
              `The sign-in to ${displayName} did not complete.`,
              'Return to Workstation for details.',
            ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Workstation</title><style>${PAGE_STYLE}</style></head><body><main><h1>${escapeHtml(heading)}</h1><p>${escapeHtml(detail)}</p></main></body></html>`;
}

/** The tab's look: the launcher's system font and colours, light and dark. */
const PAGE_STYLE =
  'body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;background:#f6f7f9}' +
  'main{max-width:34rem;margin:12vh auto;padding:24px 28px;background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.12)}' +
  'h1{font-size:20px;margin:0 0 8px}p{margin:0}' +
  '@media (prefers-color-scheme:dark){body{color:#e6e8eb;background:#16181c}main{background:#22252b}}';

/**
 * The pages allow only their own style block, by hash (CSP Level 2 hash sources:
 * https://www.w3.org/TR/CSP2/#source-list-valid-hashes); nothing else loads or runs.
 */
export const LOOPBACK_PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`;

function answer(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // The page shows text only; the URL that reached it carries a code, so it is never sent on.
    'content-security-policy': LOOPBACK_PAGE_CSP,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    connection: 'close',
  });
  response.end(body);
}

/**
 * Listens on the redirect's loopback port for the one browser request that carries the expected
 * `state` (RFC 6749 section 10.12); a request with another state, or to another path, is refused
 * and listening goes on, so a stray page cannot end the sign-in. `access_denied` (Salesforce's
 * web server flow documents `access-denied`) is a declined consent; the wait ends after `timeoutMs`.
 * A port in use is a typed `conflict`: the provider matches the registered port exactly, so no
 * other port can be tried.
 */
export async function listenForRedirect(
  redirect: URL,
  state: string,
  timeoutMs: number,
  displayName: string,
): Promise<PendingRedirect> {
  let settle:
    { resolve: (code: string) => void; reject: (error: WorkstationError) => void } | undefined;
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // Nothing may be left unhandled if the caller stops waiting before the browser comes back.
  code.catch(() => undefined);
  let waiting: ServerResponse | undefined;
  let done = false;
  const servers: Server[] = [];
  // Stops listening at once (the port is free for the next sign-in); a page being answered still goes out.
  const close = () => {
    clearTimeout(timer);
    for (const server of servers) server.close();
  };
  const end = (outcome: Outcome, response: ServerResponse | undefined) => {
    done = true;
    close();
    if (response) {
      response.on('finish', () => servers.forEach((server) => server.closeIdleConnections()));
      answer(response, outcome === 'signed_in' ? 200 : 400, callbackPage(outcome, displayName));
    }
  };
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://loopback');
    if (done || request.method !== 'GET' || url.pathname !== redirect.pathname)
      return answer(response, 404, '<!doctype html><title>Workstation</title><p>Not found.</p>');
    if (url.searchParams.get('state') !== state)
      return answer(response, 400, callbackPage('failed', displayName));
    const error = url.searchParams.get('error');
    const received = url.searchParams.get('code');
    if (error === 'access_denied' || error === 'access-denied') {
      settle?.reject(
        workstationError(
          'consent_declined',
          `You declined the ${displayName} sign-in. Choose Connect to try again.`,
        ),
      );
      return end('declined', response);
    }
    if (error !== null || !received) {
      const shown = error && /^[\w-]{1,64}$/.test(error) ? ` (${error})` : '';
      settle?.reject(
        workstationError(
          'upstream_failed',
          `${displayName} did not complete the sign-in${shown}. Choose Connect to try again.`,
        ),
      );
      return end('failed', response);
    }
    // The page waits until the code is exchanged, so it can say whether the sign-in worked.
    waiting = response;
    done = true;
    settle?.resolve(received);
  };
  const timer = setTimeout(() => {
    settle?.reject(
      workstationError(
        'timeout',
        `The ${displayName} sign-in was not completed in time. Choose Connect to try again.`,
      ),
    );
    end('failed', undefined);
  }, timeoutMs);
  timer.unref();
  const port = Number(redirect.port);
  const hosts =
    redirect.hostname === 'localhost'
      ? ['127.0.0.1', '::1']
      : [redirect.hostname.replace(/^\[|\]$/g, '')];
  try {
    for (const [index, host] of hosts.entries()) {
      const server = createServer(handle);
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen({ host, port, exclusive: true }, () => resolve());
        });
        servers.push(server);
      } catch (error) {
        const errno = (error as NodeJS.ErrnoException).code;
        // `localhost` may have no IPv6 address on this computer: 127.0.0.1 alone is enough then.
        if (index > 0 && (errno === 'EADDRNOTAVAIL' || errno === 'EAFNOSUPPORT')) continue;
        if (errno === 'EADDRINUSE' || errno === 'EACCES') {
          throw workstationError(
            'conflict',
            `Workstation cannot receive the ${displayName} sign-in: port ${port} on this computer is in use. If another sign-in is waiting in your browser, finish or close it, then try again.`,
          );
        }
        throw workstationError(
          'unavailable',
          `Workstation cannot listen for the ${displayName} sign-in on port ${port}.`,
          {},
          error,
        );
      }
    }
  } catch (error) {
    close();
    throw error;
  }
  return {
    code,
    finish(outcome) {
      const response = waiting;
      waiting = undefined;
      if (response) end(outcome, response);
      else if (!done) {
        settle?.reject(workstationError('cancelled', 'The sign-in was cancelled.'));
        end(outcome, undefined);
      } else close();
    },
  };
}
