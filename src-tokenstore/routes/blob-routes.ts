import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { blobParamsSchema, putBlobBodySchema } from '../../src-shared/tokenstore/api';
import type { Caller } from '../db/token-store-repository';
import { sendError } from '../http/store-error';
import { parseEtag, principalOf, type RouteContext } from './route-context';

type BlobRequest = FastifyRequest<{ Params: { integration: string; deviceId: string } }>;

/**
 * `/v1/blobs/:integration/:deviceId`: the caller's own encrypted blobs. Another user's blob answers
 * 404 exactly like a missing one (every query is keyed by the caller's tid + oid), so existence
 * never leaks. An integration not enabled for the caller answers 403 and drops what they held.
 */
export function registerBlobRoutes(app: FastifyInstance, context: RouteContext): void {
  const { repository, now } = context;

  function parsed(request: BlobRequest, reply: FastifyReply): { caller: Caller; integration: string; deviceId: string } | undefined {
    const params = blobParamsSchema.safeParse(request.params);
    if (!params.success) {
      sendError(reply, 400, 'invalid_input', 'The integration or device id is not valid.');
      return undefined;
    }
    const principal = principalOf(request);
    return { caller: { tid: principal.tid, oid: principal.oid, groups: principal.groups }, integration: params.data.integration, deviceId: params.data.deviceId };
  }

  async function refuse(request: BlobRequest, reply: FastifyReply, caller: Caller, integration: string): Promise<FastifyReply> {
    // Revocation reaches the user at their next request even if their groups changed since.
    const revoked = await repository.deleteUserBlobs(caller.tid, caller.oid, integration);
    if (revoked > 0) {
      context.audit.write({ tenantId: caller.tid, actorId: caller.oid, action: 'blob.revoked', integration, deviceId: null, targetUserId: caller.oid, outcome: 403, requestId: request.id }, now());
    }
    return sendError(reply, 403, 'forbidden', 'Your organisation has not enabled this integration for you.');
  }

  const audit = (request: BlobRequest, caller: Caller, action: 'blob.read' | 'blob.write' | 'blob.delete', integration: string, deviceId: string, outcome: number) =>
    context.audit.write({ tenantId: caller.tid, actorId: caller.oid, action, integration, deviceId, targetUserId: caller.oid, outcome, requestId: request.id }, now());

  app.get('/v1/blobs/:integration/:deviceId', async (request: BlobRequest, reply) => {
    const target = parsed(request, reply);
    if (!target) return reply;
    const { caller, integration, deviceId } = target;
    // Admission and the blob come from one statement: an admin change is seen whole or not at all.
    const read = await repository.readBlob(caller, integration, deviceId);
    if (!read.admitted) return refuse(request, reply, caller, integration);
    const stored = read.stored;
    await audit(request, caller, 'blob.read', integration, deviceId, stored ? 200 : 404);
    if (!stored) return sendError(reply, 404, 'not_found', 'No blob is stored for this integration and device.');
    return reply.header('etag', `"${stored.version}"`).send({ blob: stored.blob, version: stored.version, updatedAt: new Date(stored.updatedAt).toISOString() });
  });

  app.put('/v1/blobs/:integration/:deviceId', async (request: BlobRequest, reply) => {
    const target = parsed(request, reply);
    if (!target) return reply;
    const { caller, integration, deviceId } = target;
    // Checked again inside the write's transaction; this early answer spares a refused caller's body
    // and fixes the revocation epoch the write must still see.
    const admission = await repository.admission(caller, integration);
    if (!admission.admitted) return refuse(request, reply, caller, integration);
    const body = putBlobBodySchema.safeParse(request.body);
    if (!body.success) return sendError(reply, 400, 'invalid_input', 'The body must be {"blob": "<base64url>"} within the size limit.');
    const ifNoneMatch = request.headers['if-none-match'];
    const ifMatch = parseEtag(request.headers['if-match']);
    if (ifNoneMatch !== '*' && ifMatch === undefined) {
      return sendError(reply, 428, 'conflict', 'Send If-Match with the current version, or If-None-Match: * to create.');
    }
    const time = now();
    await repository.recordPrincipal(caller, time);
    const outcome = await repository.writeBlob(caller, integration, deviceId, body.data.blob, ifNoneMatch === '*' ? { create: true } : { ifMatch: ifMatch ?? '' }, admission.epoch, time);
    await audit(request, caller, 'blob.write', integration, deviceId, outcome.ok ? 200 : outcome.reason === 'precondition' ? 412 : 403);
    if (!outcome.ok) {
      switch (outcome.reason) {
        case 'precondition':
          return sendError(reply, 412, 'conflict', 'The blob changed since you read it; read it again and retry.');
        case 'forbidden':
          return refuse(request, reply, caller, integration);
        case 'revoked':
          return sendError(reply, 403, 'forbidden', 'An administrator revoked your stored sign-ins while this request was under way; sign in to the integration again.');
      }
    }
    return reply.header('etag', `"${outcome.version}"`).send({ version: outcome.version, updatedAt: new Date(outcome.updatedAt).toISOString() });
  });

  app.delete('/v1/blobs/:integration/:deviceId', async (request: BlobRequest, reply) => {
    const params = blobParamsSchema.safeParse(request.params);
    if (!params.success) return sendError(reply, 400, 'invalid_input', 'The integration or device id is not valid.');
    const principal = principalOf(request);
    const caller: Caller = { tid: principal.tid, oid: principal.oid, groups: principal.groups };
    // Deleting is always allowed, even for a disabled integration: the user may clean up.
    const deleted = await repository.deleteBlob(caller, params.data.integration, params.data.deviceId);
    await audit(request, caller, 'blob.delete', params.data.integration, params.data.deviceId, deleted ? 204 : 404);
    if (!deleted) return sendError(reply, 404, 'not_found', 'No blob is stored for this integration and device.');
    return reply.code(204).send();
  });
}
