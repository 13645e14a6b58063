import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TargetPolicy } from '../../src-shared/integrations/integration-info';
import type { AdminActions } from '../admin/admin-actions';
import type { Principal } from '../auth/jwt-verifier';
import type { AuditWriter } from '../db/audit-writer';
import type { TokenStoreRepository } from '../db/token-store-repository';

/** What every route needs, handed in by the server. */
export interface RouteContext {
  readonly repository: TokenStoreRepository;
  readonly audit: AuditWriter;
  /** The admin actions (checked, applied and audited alike from the API and the console). */
  readonly admin: AdminActions;
  /** What admins may name besides each vendor's hosts, handed to the catalog's settings schemas. */
  readonly targetPolicy: TargetPolicy;
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
  return header
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');
}

export type Reply = FastifyReply;
