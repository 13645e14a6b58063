import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { registerConsoleAuthRoutes } from './console-auth-routes';
import { cookieOf, sendPage, SESSION_COOKIE, type ConsoleContext } from './console-context';
import { registerConsolePageRoutes } from './console-page-routes';
import { CONSOLE_CSS } from './console-style';
import { FormBody } from './form-body';
import { html } from './html';
import { plainPage } from './pages/layout';

/**
 * The console's CSP: no script at all, styles and forms of this origin only, never framed
 * (https://developer.mozilla.org/docs/Web/HTTP/Headers/Content-Security-Policy).
 */
export const CONSOLE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Paths served without a session: signing in and out, and the stylesheet. */
const OPEN_PATHS = new Set([
  '/admin/sign-in',
  '/admin/auth/callback',
  '/admin/signed-out',
  '/admin/console.css',
]);

/** Whether a request is the console's (its own sign-in, not the API's bearer tokens). */
export function isConsoleUrl(url: string): boolean {
  return url === '/admin' || url.startsWith('/admin/') || url.startsWith('/admin?');
}

const sameToken = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The admin console at /admin: server-rendered pages and plain HTML forms, so it runs with no
 * script and the CSP forbids all of it. Every page but sign-in needs a session cookie; every POST
 * needs the session's CSRF token in the form and, when the browser sends one, this origin in
 * `Origin` (OWASP's synchronizer token pattern plus the origin check:
 * https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html).
 */
export async function registerAdminConsole(
  app: FastifyInstance,
  context: ConsoleContext,
): Promise<void> {
  await app.register(async (scope) => {
    scope.decorateRequest('consoleSession', undefined);
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_request, body, done) => done(null, FormBody.parse(String(body))),
    );
    scope.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', CONSOLE_CSP);
      // Not no-referrer (the API's): under it browsers send `Origin: null` with form posts
      // (https://fetch.spec.whatwg.org/#append-a-request-origin-header), and the origin check
      // below needs the real one. Other sites still get no referrer.
      reply.header('referrer-policy', 'same-origin');
      return payload;
    });
    scope.addHook('preHandler', async (request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      const cookie = cookieOf(request, SESSION_COOKIE);
      request.consoleSession = cookie ? await context.sessions.find(cookie) : undefined;
      if (OPEN_PATHS.has(path)) return;
      if (request.method === 'GET' || request.method === 'HEAD') {
        if (!request.consoleSession)
          return reply.redirect(`/admin/sign-in?return=${encodeURIComponent(request.url)}`, 302);
        return;
      }
      const origin = request.headers.origin;
      const form = request.body instanceof FormBody ? request.body : undefined;
      const csrf = form?.get('_csrf') ?? '';
      if (
        !request.consoleSession ||
        (origin !== undefined && origin !== context.origin()) ||
        !sameToken(csrf, request.consoleSession.csrf)
      ) {
        request.log.warn(
          { path, hasSession: Boolean(request.consoleSession) },
          'console request refused',
        );
        return sendPage(
          reply,
          plainPage(
            'Not done',
            html`<p>
                This request did not come from a page of your console session, so nothing was
                changed. Your session may have ended.
              </p>
              <p><a href="/admin">Back to the console</a></p>`,
          ),
          403,
        );
      }
    });

    scope.get('/admin/console.css', async (_request, reply) =>
      reply.type('text/css; charset=utf-8').send(CONSOLE_CSS),
    );
    scope.get('/admin', async (_request, reply) => reply.redirect('/admin/integrations', 302));
    registerConsoleAuthRoutes(scope, context);
    registerConsolePageRoutes(scope, context);
  });
}
