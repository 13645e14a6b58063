import type { FastifyInstance } from 'fastify';
import { inAudience } from '../db/token-store-repository';
import { principalOf, type RouteContext } from './route-context';

/** `GET /v1/me/integrations`: the integrations enabled for the caller, with the org's settings. */
export function registerMeRoutes(app: FastifyInstance, { repository }: RouteContext): void {
  app.get('/v1/me/integrations', async (request) => {
    const principal = principalOf(request);
    const configs = await repository.listIntegrations(principal.tid);
    return {
      integrations: configs
        .filter((config) => config.enabled && inAudience(config.audience, principal))
        .map((config) => ({ id: config.id, enabled: true as const, settings: config.settings })),
    };
  });
}
