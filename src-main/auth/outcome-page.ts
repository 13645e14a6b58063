import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callbackPage, LOOPBACK_PAGE_CSP, type Outcome } from './loopback-redirect';

/** How long the tab waits for the outcome before it tells the user to look in Workstation. */
const WAIT_MS = 60_000;

/** A page on loopback that tells the browser tab how a sign-in actually ended. */
export interface OutcomePage {
  /** The pages MSAL's loopback answers with: they send the tab on to the outcome. */
  readonly templates: { readonly successTemplate: string; readonly errorTemplate: string };
  /** Answers the waiting tab (and any later visit) with what happened. */
  settle(outcome: Outcome): void;
  /** Stops listening (after settling, or when the sign-in is abandoned). */
  close(): void;
}

const answer = (response: ServerResponse, status: number, body: string) => {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': LOOPBACK_PAGE_CSP,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  });
  response.end(body);
};

/**
 * MSAL Node's own loopback server answers the browser the moment the authorization code arrives,
 * before the code is exchanged: a token request that then fails (admin consent required,
 * AADSTS65001) would have told the user "You are signed in". Its success and error templates
 * (https://learn.microsoft.com/entra/msal/javascript/node/request#interactiverequest) are therefore
 * only a hop: a meta refresh to this page, on an unguessable path on 127.0.0.1, which waits until
 * the connect settles and then says what actually happened.
 */
export async function startOutcomePage(displayName: string): Promise<OutcomePage> {
  const path = `/outcome/${randomBytes(16).toString('base64url')}`;
  let outcome: Outcome | undefined;
  const waiting = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== path)
      return answer(response, 404, '<!doctype html><title>Workstation</title><p>Not found.</p>');
    if (outcome) return answer(response, 200, callbackPage(outcome, displayName));
    waiting.add(response);
    const timer = setTimeout(() => {
      waiting.delete(response);
      answer(response, 200, callbackPage('failed', displayName));
    }, WAIT_MS);
    timer.unref();
    response.on('close', () => {
      clearTimeout(timer);
      waiting.delete(response);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  server.unref();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  const hop = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${url}"><title>Workstation</title></head><body><p>Finishing the ${displayName.replace(/[&<>"']/g, '')} sign-in… <a href="${url}">Continue</a></p></body></html>`;
  let closeTimer: ReturnType<typeof setTimeout> | undefined;
  const close = () => {
    if (closeTimer) clearTimeout(closeTimer);
    server.close();
    server.closeAllConnections();
  };
  return {
    templates: { successTemplate: hop, errorTemplate: hop },
    settle(result) {
      if (outcome) return;
      outcome = result;
      for (const response of waiting) answer(response, 200, callbackPage(result, displayName));
      waiting.clear();
      // A tab that follows the hop a little later still hears the outcome.
      closeTimer = setTimeout(close, 30_000);
      closeTimer.unref();
    },
    close,
  };
}
