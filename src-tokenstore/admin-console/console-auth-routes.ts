import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { TokenRejected } from '../auth/jwt-verifier';
import {
  cookieOf,
  sendPage,
  setCookie,
  SESSION_COOKIE,
  SIGN_IN_COOKIE,
  type ConsoleContext,
} from './console-context';
import { randomToken } from './console-sessions';
import { SignInFailed } from './entra-sign-in';
import { html } from './html';
import { plainPage } from './pages/layout';

/** Where a sign-in may return to: a console page of this origin, never elsewhere. */
const returnToSchema = z
  .string()
  .regex(/^\/admin(\/[A-Za-z0-9/_-]*)?(\?[A-Za-z0-9=&%._+-]*)?$/)
  .max(500)
  .catch('/admin/integrations');

const callbackSchema = z.object({
  code: z.string().min(1).max(4096).optional(),
  state: z.string().min(1).max(200).optional(),
  error: z.string().max(100).optional(),
});

/**
 * Sign-in, its callback and sign-out. Sign-in keeps the PKCE verifier and the state server-side,
 * keyed by a short-lived cookie (SameSite=Lax, so it comes back with Entra ID's redirect, a
 * cross-site navigation); the session cookie is SameSite=Strict and is first used by a same-site
 * navigation the callback page starts, since a Strict cookie set during a cross-site redirect chain
 * is not sent on its next hop (https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#section-5.6.7.1).
 */
export function registerConsoleAuthRoutes(app: FastifyInstance, context: ConsoleContext): void {
  const redirectUri = () => `${context.origin()}/admin/auth/callback`;
  const signedOutPage = (title: string, text: string) =>
    plainPage(
      title,
      html`<p>${text}</p>
        <p><a href="/admin/sign-in">Sign in</a></p>`,
    );

  app.get<{ Querystring: { return?: string } }>('/admin/sign-in', async (request, reply) => {
    const state = randomToken();
    const verifier = randomToken();
    const id = await context.sessions.beginSignIn({
      state,
      verifier,
      returnTo: returnToSchema.parse(request.query.return),
    });
    setCookie(reply, SIGN_IN_COOKIE, id, { sameSite: 'Lax', maxAgeSec: 600 });
    return reply.redirect(
      context.signIn.authorizeUrl({ state, verifier, redirectUri: redirectUri() }),
      302,
    );
  });

  app.get('/admin/auth/callback', async (request, reply) => {
    const query = callbackSchema.safeParse(request.query);
    const cookie = cookieOf(request, SIGN_IN_COOKIE);
    setCookie(reply, SIGN_IN_COOKIE, '', { sameSite: 'Lax', maxAgeSec: 0 });
    const pending = cookie ? await context.sessions.takeSignIn(cookie) : undefined;
    if (!query.success || !pending || query.data.state !== pending.state)
      return sendPage(
        reply,
        signedOutPage(
          'Sign-in expired',
          'This sign-in was not started here or took too long. Start again.',
        ),
        400,
      );
    if (query.data.error || !query.data.code)
      return sendPage(
        reply,
        signedOutPage(
          'Not signed in',
          `Entra ID did not sign you in (${query.data.error ?? 'no code'}).`,
        ),
        400,
      );
    let token: string;
    try {
      token = await context.signIn.redeem({
        code: query.data.code,
        verifier: pending.verifier,
        redirectUri: redirectUri(),
      });
    } catch (error) {
      request.log.warn(
        { reason: error instanceof SignInFailed ? error.reason : 'failed' },
        'console sign-in failed',
      );
      return sendPage(
        reply,
        signedOutPage('Not signed in', 'Entra ID did not sign you in. Try again.'),
        502,
      );
    }
    let principal;
    try {
      principal = await context.verifier.verify(token);
    } catch (error) {
      request.log.warn(
        { reason: error instanceof TokenRejected ? error.reason : 'invalid' },
        'console token rejected',
      );
      return sendPage(
        reply,
        signedOutPage('Not signed in', 'The sign-in was not accepted. Try again.'),
        401,
      );
    }
    const actor = { tid: principal.tid, oid: principal.oid, requestId: request.id };
    if (!principal.isAdmin) {
      context.actions.record(actor, 'admin.console.sign-in', { outcome: 403 });
      return sendPage(
        reply,
        plainPage(
          'Not an administrator',
          html`<p>
            You signed in, but the console is for Workstation administrators: ask for the
            Workstation.Admin role on the token store's app registration.
          </p>`,
        ),
        403,
      );
    }
    const claims = decodeJwt(token);
    const name =
      (typeof claims.name === 'string' && claims.name) ||
      (typeof claims.preferred_username === 'string' && claims.preferred_username) ||
      principal.oid;
    const session = await context.sessions.create({ tid: principal.tid, oid: principal.oid, name });
    context.actions.record(actor, 'admin.console.sign-in', { outcome: 200 });
    setCookie(reply, SESSION_COOKIE, session, { sameSite: 'Strict' });
    reply.header('refresh', `0; url=${pending.returnTo}`);
    return sendPage(
      reply,
      plainPage(
        'Signed in',
        html`<p><a href="${pending.returnTo}">Continue to the console</a></p>`,
      ),
    );
  });

  app.post('/admin/sign-out', async (request, reply) => {
    const cookie = cookieOf(request as FastifyRequest, SESSION_COOKIE);
    const session = request.consoleSession;
    if (cookie) await context.sessions.end(cookie);
    if (session)
      context.actions.record(
        { tid: session.tid, oid: session.oid, requestId: request.id },
        'admin.console.sign-out',
        {
          outcome: 200,
        },
      );
    setCookie(reply, SESSION_COOKIE, '', { sameSite: 'Strict', maxAgeSec: 0 });
    return reply.redirect('/admin/signed-out', 303);
  });

  app.get('/admin/signed-out', async (_request, reply) =>
    sendPage(
      reply,
      signedOutPage('Signed out', 'You have signed out of the Workstation admin console.'),
    ),
  );
}
