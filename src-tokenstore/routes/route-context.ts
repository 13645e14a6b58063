import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/jwt-verifier';
import type { AuditWriter } from '../db/audit-writer';
import type { TokenStoreRepository } from '../db/token-store-repository';
import type { OrgUrlPolicy } from '../policy/org-url-policy';

/** What every route needs, handed in by the server. */
export interface RouteContext {
  readonly repository: TokenStoreRepository;
  readonly audit: AuditWriter;
  readonly orgUrlPolicy: OrgUrlPolicy;
  readonly now: () => number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every route but /healthz. */
    principal: Principal | undefined;
  }
}

/** The authenticated caller; the hook guarantees one on every /v1 route. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route reached without authentication');
  return request.principal;
}

/** An entity tag as the client sent it, without weak prefix or quotes. */
export function parseEtag(header: string | undefined): string | undefined {
  if (!header) return undefined;
  return header.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

export type Reply = FastifyReply;
