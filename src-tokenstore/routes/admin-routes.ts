import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  adminIntegrationBodySchema,
  auditQuerySchema,
  integrationKeySchema,
  objectIdSchema,
} from '../../src-shared/tokenstore/api';
import type { AdminActor, AdminRefusal } from '../admin/admin-actions';
import type { Principal } from '../auth/jwt-verifier';
import { issuesOf, sendError } from '../http/store-error';
import { principalOf, type RouteContext } from './route-context';

/** Admin routes (JWT `roles` contains the admin role): configure, segment, disable, revoke, audit. */
export function registerAdminRoutes(app: FastifyInstance, context: RouteContext): void {
  const { repository, admin: actions } = context;

  const admin = (request: FastifyRequest, reply: FastifyReply): AdminActor | undefined => {
    const principal: Principal = principalOf(request);
    if (principal.isAdmin) return { tid: principal.tid, oid: principal.oid, requestId: request.id };
    sendError(reply, 403, 'forbidden', 'This needs the Workstation administrator role.');
    return undefined;
  };
  const refuse = (reply: FastifyReply, refusal: AdminRefusal) =>
    sendError(reply, refusal.status, refusal.code, refusal.message, refusal.issues);

  app.get('/v1/admin/integrations', async (request, reply) => {
    const actor = admin(request, reply);
    if (!actor) return reply;
    const configs = await repository.listIntegrations(actor.tid);
    return {
      integrations: configs.map((config) => ({
        id: config.id,
        enabled: config.enabled,
        audience: config.audience,
        settings: config.settings,
        updatedAt: new Date(config.updatedAt).toISOString(),
      })),
    };
  });

  app.put<{ Params: { integration: string } }>(
    '/v1/admin/integrations/:integration',
    async (request, reply) => {
      const actor = admin(request, reply);
      if (!actor) return reply;
      // An unknown integration is named first, then the body's shape, then the settings.
      const unknown = actions.unknownIntegration(request.params.integration);
      if (unknown) return refuse(reply, unknown);
      const body = adminIntegrationBodySchema.safeParse(request.body);
      if (!body.success)
        return sendError(
          reply,
          400,
          'invalid_input',
          'Send {"enabled", "audience", "settings"}.',
          issuesOf(body.error),
        );
      const done = await actions.setIntegration(actor, request.params.integration, body.data);
      if (!done.ok) return refuse(reply, done);
      return {
        id: request.params.integration,
        enabled: body.data.enabled,
        audience: body.data.audience,
        settings: done.settings,
        revokedBlobs: done.revokedBlobs,
      };
    },
  );

  app.delete<{ Params: { integration: string } }>(
    '/v1/admin/integrations/:integration',
    async (request, reply) => {
      const actor = admin(request, reply);
      if (!actor) return reply;
      const id = integrationKeySchema.safeParse(request.params.integration);
      if (!id.success) return sendError(reply, 400, 'invalid_input', 'Not a valid integration id.');
      const done = await actions.disableIntegration(actor, id.data);
      if (!done.ok) return refuse(reply, done);
      return { id: id.data, enabled: false, revokedBlobs: done.revokedBlobs };
    },
  );

  app.delete<{ Params: { oid: string }; Querystring: { integration?: string } }>(
    '/v1/admin/users/:oid/blobs',
    async (request, reply) => {
      const actor = admin(request, reply);
      if (!actor) return reply;
      const oid = objectIdSchema.safeParse(request.params.oid);
      const integration = z.optional(integrationKeySchema).safeParse(request.query.integration);
      if (!oid.success || !integration.success)
        return sendError(reply, 400, 'invalid_input', 'Not a valid user id or integration id.');
      const done = await actions.revokeUser(actor, oid.data, integration.data);
      if (!done.ok) return refuse(reply, done);
      return { deleted: done.deleted };
    },
  );

  app.get('/v1/admin/audit', async (request, reply) => {
    const actor = admin(request, reply);
    if (!actor) return reply;
    const query = auditQuerySchema.safeParse(request.query);
    if (!query.success)
      return sendError(
        reply,
        400,
        'invalid_input',
        'limit must be 1-500 and before a cursor from a previous page.',
      );
    await context.audit.flush();
    const [at, id] = query.data.before?.split(':') ?? [];
    const entries = await repository.readAudit(
      actor.tid,
      query.data.limit,
      at && id ? { at: Number(at), id } : undefined,
    );
    actions.record(actor, 'admin.audit.read', { outcome: 200 });
    const last = entries.at(-1);
    return {
      entries,
      ...(entries.length === query.data.limit && last
        ? { next: `${Date.parse(last.at)}:${last.id}` }
        : {}),
    };
  });
}
