import type { FastifyInstance } from 'fastify';
import { USER_INACTIVE_MESSAGE } from '../../src-shared/tokenstore/directory-api';
import { inAudience } from '../db/token-store-repository';
import { sendError } from '../http/store-error';
import { principalOf, type RouteContext } from './route-context';

/** `GET /v1/me/integrations`: the integrations enabled for the caller, with the org's settings. */
export function registerMeRoutes(app: FastifyInstance, { repository }: RouteContext): void {
  app.get('/v1/me/integrations', async (request, reply) => {
    const principal = principalOf(request);
    const [configs, standing] = await Promise.all([
      repository.listIntegrations(principal.tid),
      repository.directoryStanding(principal),
    ]);
    // The app asks this first at every start: a user the synced directory marks inactive learns it here.
    if (standing.inactive) return sendError(reply, 403, 'user_inactive', USER_INACTIVE_MESSAGE);
    const caller = { oid: principal.oid, groups: [...principal.groups, ...standing.groups] };
    return {
      integrations: configs
        .filter((config) => config.enabled && inAudience(config.audience, caller))
        .map((config) => ({ id: config.id, enabled: true as const, settings: config.settings })),
    };
  });
}
