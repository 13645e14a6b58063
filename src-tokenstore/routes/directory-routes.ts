import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  directoryGroupsQuerySchema,
  directorySettingsSchema,
  directoryUsersQuerySchema,
  syncNowBodySchema,
  type DirectoryStatus,
} from '../../src-shared/tokenstore/directory-api';
import type { AuditDetail } from '../../src-shared/tokenstore/api';
import type { Principal } from '../auth/jwt-verifier';
import type { DirectoryRepository } from '../directory/directory-repository';
import {
  DirectoryNotConfigured,
  type DirectorySyncService,
} from '../directory/directory-sync-service';
import { saveDirectorySettings } from '../directory/save-directory-settings';
import type { SyncRunRepository } from '../directory/sync-run-repository';
import { issuesOf, sendError } from '../http/store-error';
import { principalOf, type RouteContext } from './route-context';

/** What the directory routes need besides the common context. */
export interface DirectoryRouteContext {
  readonly directory: DirectoryRepository;
  readonly runs: SyncRunRepository;
  readonly sync: DirectorySyncService;
  readonly extraOrigins: readonly string[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * `/v1/admin/directory/*` (admin role): the directory sync's settings, status, synced users and
 * groups, run records, and "Sync now". What the admin console's Users and Directory sync pages and
 * its audience picker read.
 */
export function registerDirectoryRoutes(
  app: FastifyInstance,
  context: RouteContext,
  { directory, runs, sync, extraOrigins }: DirectoryRouteContext,
): void {
  const { now } = context;
  const admin = (request: FastifyRequest, reply: FastifyReply): Principal | undefined => {
    const principal = principalOf(request);
    if (principal.isAdmin) return principal;
    sendError(reply, 403, 'forbidden', 'This needs the Workstation administrator role.');
    return undefined;
  };
  const audit = (
    request: FastifyRequest,
    principal: Principal,
    action: 'admin.directory.set' | 'admin.directory.sync',
    outcome: number,
    target?: string,
    detail?: AuditDetail,
  ) =>
    context.audit.write(
      {
        tenantId: principal.tid,
        actorId: principal.oid,
        action,
        integration: null,
        connection: null,
        deviceId: null,
        targetUserId: target ?? null,
        outcome,
        requestId: request.id,
        ...(detail ? { detail } : {}),
      },
      now(),
    );

  app.get('/v1/admin/directory/settings', async (request, reply) => {
    const principal = admin(request, reply);
    if (!principal) return reply;
    const stored = await directory.getSettings(principal.tid);
    return { settings: stored?.settings ?? null, updatedAt: iso(stored?.updatedAt ?? null) };
  });

  app.put('/v1/admin/directory/settings', async (request, reply) => {
    const principal = admin(request, reply);
    if (!principal) return reply;
    const parsed = directorySettingsSchema(extraOrigins).safeParse(request.body);
    if (!parsed.success)
      return sendError(
        reply,
        400,
        'invalid_input',
        'These directory sync settings are not accepted.',
        issuesOf(parsed.error),
      );
    const { before } = await saveDirectorySettings(
      { directory, runs },
      principal.tid,
      principal.oid,
      parsed.data,
      now(),
    );
    await audit(request, principal, 'admin.directory.set', 200, undefined, {
      before,
      after: parsed.data,
    });
    return { settings: parsed.data, updatedAt: iso(now()) };
  });

  app.get('/v1/admin/directory/status', async (request, reply) => {
    const principal = admin(request, reply);
    if (!principal) return reply;
    const tid = principal.tid;
    const [stored, state, running, last, users, groups] = await Promise.all([
      directory.getSettings(tid),
      runs.state(tid),
      runs.runningRun(tid),
      runs.listRuns(tid, 1),
      directory.userCounts(tid),
      directory.groupCount(tid),
    ]);
    const status: DirectoryStatus = {
      configured: Boolean(stored),
      enabled: stored?.settings.enabled ?? false,
      running: running ?? null,
      lastRun: last[0] ?? null,
      lastSuccessAt: iso(state.lastSuccessAt),
      nextRunAt: stored?.settings.enabled ? (iso(state.nextRunAt) ?? iso(now())) : null,
      users,
      groups,
    };
    return status;
  });

  app.get('/v1/admin/directory/users', async (request, reply) => {
    const principal = admin(request, reply);
    if (!principal) return reply;
    const query = directoryUsersQuerySchema.safeParse(request.query);
    if (!query.success)
      return sendError(
        reply,
        400,
        'invalid_input',
        'Not a valid user query.',
        issuesOf(query.error),
      );
    return directory.listUsers(principal.tid, query.data);
  });

  app.get('/v1/admin/directory/groups', async (request, reply) => {
    const principal = admin(request, reply);
    if (!principal) return reply;
    const query = directoryGroupsQuerySchema.safeParse(request.query);
    if (!query.success)
      return sendError(
        reply,
        400,
        'invalid_input',
        'Not a valid group query.',
        issuesOf(query.error),
      );
    return { groups: await directory.listGroups(principal.tid, query.data) };
  });

  app.get('/v1/admin/directory/runs', async (request, reply) => {
    const principal = admin(request, reply);
    if (!principal) return reply;
    const query = z
      .object({ limit: z.coerce.number().int().min(1).max(100).default(20) })
      .safeParse(request.query);
    if (!query.success) return sendError(reply, 400, 'invalid_input', 'limit must be 1-100.');
    return { runs: await runs.listRuns(principal.tid, query.data.limit) };
  });

  app.post('/v1/admin/directory/sync', async (request, reply) => {
    const principal = admin(request, reply);
    if (!principal) return reply;
    const body = syncNowBodySchema.safeParse(request.body ?? {});
    if (!body.success)
      return sendError(
        reply,
        400,
        'invalid_input',
        'Send {} to sync everyone, or {"user": "<object id>"} for one user.',
        issuesOf(body.error),
      );
    try {
      const answer = await sync.syncNow(principal.tid, body.data);
      await audit(request, principal, 'admin.directory.sync', 202, body.data.user?.toLowerCase());
      // Not started because a run is under way (here or on another instance): 200 with that run.
      return reply.code(answer.started || answer.queued ? 202 : 200).send(answer);
    } catch (error) {
      if (error instanceof DirectoryNotConfigured)
        return sendError(reply, 409, 'conflict', 'Set up and turn on directory sync first.');
      throw error;
    }
  });
}
