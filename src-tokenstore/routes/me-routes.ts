import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { MyIntegrationsResponse, MyPolicyResponse } from '../../src-shared/tokenstore/api';
import { USER_INACTIVE_MESSAGE } from '../../src-shared/tokenstore/directory-api';
import type { Principal } from '../auth/jwt-verifier';
import { inAudience, type TokenStoreRepository } from '../db/token-store-repository';
import { sendError } from '../http/store-error';
import { parseEtag, principalOf, type RouteContext } from './route-context';

/** The integrations enabled for the caller, or undefined when the synced directory marks them inactive. */
async function mine(
  repository: TokenStoreRepository,
  principal: Principal,
): Promise<MyIntegrationsResponse | undefined> {
  const [configs, standing] = await Promise.all([
    repository.listIntegrations(principal.tid),
    repository.directoryStanding(principal),
  ]);
  if (standing.inactive) return undefined;
  // Group audiences admit the token's groups and the Entra group teams synced from Dynamics.
  const caller = { oid: principal.oid, groups: [...principal.groups, ...standing.groups] };
  return {
    integrations: configs
      .filter((config) => config.enabled && inAudience(config.audience, caller))
      .map((config) => ({ id: config.id, enabled: true as const, settings: config.settings })),
  };
}

/**
 * `GET /v1/me/integrations`: the integrations enabled for the caller, with the org's settings.
 * `GET /v1/me/policy`: the same and the caller's revocation epochs, under an entity tag that is a
 * digest of exactly what it answers, so any admin change that concerns the caller (disable,
 * audience, settings, revoke) changes it, and an unchanged policy is a cheap 304 to poll
 * (https://www.rfc-editor.org/rfc/rfc9110#name-if-none-match). A user the synced directory marks
 * inactive gets `user_inactive` from both: the app asks one of them at start and the other every
 * few seconds, so it learns it at once.
 */
export function registerMeRoutes(app: FastifyInstance, { repository }: RouteContext): void {
  app.get('/v1/me/integrations', async (request, reply) => {
    const enabled = await mine(repository, principalOf(request));
    if (!enabled) return sendError(reply, 403, 'user_inactive', USER_INACTIVE_MESSAGE);
    return enabled;
  });

  app.get('/v1/me/policy', async (request, reply) => {
    const principal = principalOf(request);
    const [enabled, revocations] = await Promise.all([
      mine(repository, principal),
      repository.revocationEpochs(principal.tid, principal.oid),
    ]);
    if (!enabled) return sendError(reply, 403, 'user_inactive', USER_INACTIVE_MESSAGE);
    const body: MyPolicyResponse = { ...enabled, revocations };
    const tag = createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27);
    reply.header('etag', `"${tag}"`).header('cache-control', 'private, no-cache');
    if (parseEtag(request.headers['if-none-match']) === tag) return reply.code(304).send();
    return body;
  });
}
