import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { MyIntegrationsResponse, MyPolicyResponse } from '../../src-shared/tokenstore/api';
import type { Principal } from '../auth/jwt-verifier';
import { inAudience, type TokenStoreRepository } from '../db/token-store-repository';
import { parseEtag, principalOf, type RouteContext } from './route-context';

async function mine(
  repository: TokenStoreRepository,
  principal: Principal,
): Promise<MyIntegrationsResponse> {
  const configs = await repository.listIntegrations(principal.tid);
  return {
    integrations: configs
      .filter((config) => config.enabled && inAudience(config.audience, principal))
      .map((config) => ({ id: config.id, enabled: true as const, settings: config.settings })),
  };
}

/**
 * `GET /v1/me/integrations`: the integrations enabled for the caller, with the org's settings.
 * `GET /v1/me/policy`: the same and the caller's revocation epochs, under an entity tag that is a
 * digest of exactly what it answers, so any admin change that concerns the caller (disable,
 * audience, settings, revoke) changes it, and an unchanged policy is a cheap 304 to poll
 * (https://www.rfc-editor.org/rfc/rfc9110#name-if-none-match).
 */
export function registerMeRoutes(app: FastifyInstance, { repository }: RouteContext): void {
  app.get('/v1/me/integrations', async (request) => mine(repository, principalOf(request)));

  app.get('/v1/me/policy', async (request, reply) => {
    const principal = principalOf(request);
    const [enabled, revocations] = await Promise.all([
      mine(repository, principal),
      repository.revocationEpochs(principal.tid, principal.oid),
    ]);
    const body: MyPolicyResponse = { ...enabled, revocations };
    const tag = createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27);
    reply.header('etag', `"${tag}"`).header('cache-control', 'private, no-cache');
    if (parseEtag(request.headers['if-none-match']) === tag) return reply.code(304).send();
    return body;
  });
}
