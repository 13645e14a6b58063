import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { integrationCatalog, integrationInfo } from '../../src-shared/integrations/catalog';
import {
  adminIntegrationBodySchema,
  auditQuerySchema,
  integrationKeySchema,
  objectIdSchema,
} from '../../src-shared/tokenstore/api';
import type { Principal } from '../auth/jwt-verifier';
import { issuesOf, sendError } from '../http/store-error';
import { principalOf, type RouteContext } from './route-context';

/** Admin routes (JWT `roles` contains the admin role): configure, segment, disable, revoke, audit. */
export function registerAdminRoutes(app: FastifyInstance, context: RouteContext): void {
  const { repository, now, targetPolicy } = context;

  const admin = (request: FastifyRequest, reply: FastifyReply): Principal | undefined => {
    const principal = principalOf(request);
    if (principal.isAdmin) return principal;
    sendError(reply, 403, 'forbidden', 'This needs the Workstation administrator role.');
    return undefined;
  };
  const audit = (
    request: FastifyRequest,
    principal: Principal,
    action:
      | 'admin.integration.set'
      | 'admin.integration.disable'
      | 'admin.user.revoke'
      | 'admin.audit.read',
    extra: { integration?: string; target?: string; outcome: number },
  ) =>
    context.audit.write(
      {
        tenantId: principal.tid,
        actorId: principal.oid,
        action,
        integration: extra.integration ?? null,
        connection: null,
        deviceId: null,
        targetUserId: extra.target ?? null,
        outcome: extra.outcome,
        requestId: request.id,
      },
      now(),
    );

  app.get('/v1/admin/integrations', async (request, reply) => {
    const principal = admin(request, reply);
    if (!principal) return reply;
    const configs = await repository.listIntegrations(principal.tid);
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
      const principal = admin(request, reply);
      if (!principal) return reply;
      const info = integrationInfo(request.params.integration);
      if (!info) {
        const known = integrationCatalog.map((entry) => entry.id).join(', ');
        return sendError(
          reply,
          400,
          'invalid_input',
          `That is not an integration Workstation offers; the known ones are ${known}.`,
          [{ path: 'integration', message: `one of ${known}` }],
        );
      }
      const body = adminIntegrationBodySchema.safeParse(request.body);
      if (!body.success)
        return sendError(
          reply,
          400,
          'invalid_input',
          'Send {"enabled", "audience", "settings"}.',
          issuesOf(body.error),
        );
      // The catalog holds each integration's rules (Dynamics: org hosts; Salesforce: login hosts); what
      // it parsed is what is stored, so every reader gets the normalised form.
      const parsed = info.adminSettingsSchema(targetPolicy).safeParse(body.data.settings);
      if (!parsed.success)
        return sendError(
          reply,
          400,
          'invalid_input',
          `These ${info.name} settings are not accepted.`,
          issuesOf(parsed.error, 'settings'),
        );
      const settings = parsed.data;
      const revoked = await repository.setIntegration(
        principal.tid,
        principal.oid,
        info.id,
        { enabled: body.data.enabled, audience: body.data.audience, settings },
        now(),
      );
      await audit(request, principal, 'admin.integration.set', {
        integration: info.id,
        outcome: 200,
      });
      return {
        id: info.id,
        enabled: body.data.enabled,
        audience: body.data.audience,
        settings,
        revokedBlobs: revoked,
      };
    },
  );

  app.delete<{ Params: { integration: string } }>(
    '/v1/admin/integrations/:integration',
    async (request, reply) => {
      const principal = admin(request, reply);
      if (!principal) return reply;
      const id = integrationKeySchema.safeParse(request.params.integration);
      if (!id.success) return sendError(reply, 400, 'invalid_input', 'Not a valid integration id.');
      const revoked = await repository.disableIntegration(
        principal.tid,
        principal.oid,
        id.data,
        now(),
      );
      await audit(request, principal, 'admin.integration.disable', {
        integration: id.data,
        outcome: 200,
      });
      return { id: id.data, enabled: false, revokedBlobs: revoked };
    },
  );

  app.delete<{ Params: { oid: string }; Querystring: { integration?: string } }>(
    '/v1/admin/users/:oid/blobs',
    async (request, reply) => {
      const principal = admin(request, reply);
      if (!principal) return reply;
      const oid = objectIdSchema.safeParse(request.params.oid);
      const integration = z.optional(integrationKeySchema).safeParse(request.query.integration);
      if (!oid.success || !integration.success)
        return sendError(reply, 400, 'invalid_input', 'Not a valid user id or integration id.');
      const deleted = await repository.revokeUser(
        principal.tid,
        principal.oid,
        oid.data.toLowerCase(),
        integration.data,
        now(),
      );
      await audit(request, principal, 'admin.user.revoke', {
        integration: integration.data,
        target: oid.data.toLowerCase(),
        outcome: 200,
      });
      return { deleted };
    },
  );

  app.get('/v1/admin/audit', async (request, reply) => {
    const principal = admin(request, reply);
    if (!principal) return reply;
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
      principal.tid,
      query.data.limit,
      at && id ? { at: Number(at), id } : undefined,
    );
    await audit(request, principal, 'admin.audit.read', { outcome: 200 });
    const last = entries.at(-1);
    return {
      entries,
      ...(entries.length === query.data.limit && last
        ? { next: `${Date.parse(last.at)}:${last.id}` }
        : {}),
    };
  });
}
