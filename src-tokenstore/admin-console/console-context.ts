import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TargetPolicy } from '../../src-shared/integrations/integration-info';
import type { AdminActions } from '../admin/admin-actions';
import type { JwtVerifier } from '../auth/jwt-verifier';
import type { AuditWriter } from '../db/audit-writer';
import type { TokenStoreRepository } from '../db/token-store-repository';
import type { ConsoleDirectory } from './console-directory';
import type { ConsoleSession, ConsoleSessions } from './console-sessions';
import type { EntraSignIn } from './entra-sign-in';
import type { SafeHtml } from './html';

/** Everything the console's routes use, handed in by the store. */
export interface ConsoleContext {
  readonly signIn: EntraSignIn;
  /** Checks the console's access tokens: the store's audience and scope, the console's client id. */
  readonly verifier: JwtVerifier;
  readonly sessions: ConsoleSessions;
  readonly actions: AdminActions;
  readonly repository: TokenStoreRepository;
  readonly audit: AuditWriter;
  readonly directory: ConsoleDirectory | undefined;
  readonly targetPolicy: TargetPolicy;
  /** The store's public origin (`https://host[:port]`): the redirect URI's and the Origin check's. */
  readonly origin: () => string;
  readonly now: () => number;
}

export const SESSION_COOKIE = '__Host-ws-admin-session';
export const SIGN_IN_COOKIE = '__Host-ws-admin-sign-in';

declare module 'fastify' {
  interface FastifyRequest {
    /** The console session, set by the console's hook on every page but sign-in. */
    consoleSession: ConsoleSession | undefined;
  }
}

/** The signed-in admin; the console's hook guarantees one on every page behind sign-in. */
export function sessionOf(request: FastifyRequest): ConsoleSession {
  if (!request.consoleSession) throw new Error('console page reached without a session');
  return request.consoleSession;
}

/** The value of one cookie of the request (cookie names are case-sensitive). */
export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * A cookie the console sets: `__Host-` prefixed (Secure, Path=/, no Domain: only this origin),
 * HttpOnly. https://developer.mozilla.org/docs/Web/HTTP/Cookies#cookie_prefixes
 */
export function setCookie(
  reply: FastifyReply,
  name: string,
  value: string,
  options: { readonly sameSite: 'Strict' | 'Lax'; readonly maxAgeSec?: number },
): void {
  const cookie = [
    `${name}=${value}`,
    'Path=/',
    'Secure',
    'HttpOnly',
    `SameSite=${options.sameSite}`,
    ...(options.maxAgeSec !== undefined ? [`Max-Age=${options.maxAgeSec}`] : []),
  ].join('; ');
  const existing = reply.getHeader('set-cookie');
  reply.header(
    'set-cookie',
    existing === undefined
      ? cookie
      : [...(Array.isArray(existing) ? existing : [String(existing)]), cookie],
  );
}

/** Sends a console page. */
export function sendPage(reply: FastifyReply, page: SafeHtml, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page.value);
}
