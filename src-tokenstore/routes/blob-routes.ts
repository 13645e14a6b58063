import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  blobParamsSchema,
  DEFAULT_CONNECTION,
  putBlobBodySchema,
} from '../../src-shared/tokenstore/api';
import { USER_INACTIVE_MESSAGE } from '../../src-shared/tokenstore/directory-api';
import type { BlobAddress, Caller } from '../db/token-store-repository';
import { sendError } from '../http/store-error';
import { parseEtag, principalOf, type RouteContext } from './route-context';

type BlobRequest = FastifyRequest<{
  Params: { integration: string; connection?: string; deviceId: string };
}>;

/**
 * `/v1/blobs/:integration/:connection/:deviceId`: the caller's own encrypted blobs, one per
 * connection of an integration (an org, an environment) and device. Another user's blob answers
 * 404 exactly like a missing one (every query is keyed by the caller's tid + oid), so existence
 * never leaks. An integration not enabled for the caller answers 403 and drops what they held, in
 * every connection.
 *
 * `/v1/blobs/:integration/:deviceId` (the routes from before connections) stays: it is connection
 * `default`, where the upgrade kept every blob stored until then, so a desktop client that has not
 * been updated yet keeps its sign-ins instead of being signed out of every integration.
 */
export function registerBlobRoutes(app: FastifyInstance, context: RouteContext): void {
  const { repository, now } = context;

  function addressOf(request: BlobRequest, reply: FastifyReply): BlobAddress | undefined {
    const params = blobParamsSchema.safeParse({
      ...request.params,
      connection: request.params.connection ?? DEFAULT_CONNECTION,
    });
    if (!params.success) {
      sendError(
        reply,
        400,
        'invalid_input',
        'The integration, connection or device id is not valid.',
      );
      return undefined;
    }
    return params.data;
  }

  function callerOf(request: BlobRequest): Caller {
    const principal = principalOf(request);
    return { tid: principal.tid, oid: principal.oid, groups: principal.groups };
  }

  async function refuse(
    request: BlobRequest,
    reply: FastifyReply,
    caller: Caller,
    integration: string,
    inactive = false,
  ): Promise<FastifyReply> {
    // Revocation reaches the user at their next request even if their groups changed since: every
    // connection of the integration goes, not only the one asked for.
    const revoked = await repository.deleteUserBlobs(caller.tid, caller.oid, integration);
    if (revoked > 0) {
      context.audit.write(
        {
          tenantId: caller.tid,
          actorId: caller.oid,
          action: 'blob.revoked',
          integration,
          connection: null,
          deviceId: null,
          targetUserId: caller.oid,
          outcome: 403,
          requestId: request.id,
        },
        now(),
      );
    }
    // The synced directory marks the user disabled (or removed) in Dynamics 365: a code of its own,
    // so the app can say so instead of "not enabled".
    if (inactive) return sendError(reply, 403, 'user_inactive', USER_INACTIVE_MESSAGE);
    return sendError(
      reply,
      403,
      'forbidden',
      'Your organisation has not enabled this integration for you.',
    );
  }

  const audit = (
    request: BlobRequest,
    caller: Caller,
    action: 'blob.read' | 'blob.write' | 'blob.delete',
    address: BlobAddress,
    outcome: number,
  ) =>
    context.audit.write(
      {
        tenantId: caller.tid,
        actorId: caller.oid,
        action,
        integration: address.integration,
        connection: address.connection,
        deviceId: address.deviceId,
        targetUserId: caller.oid,
        outcome,
        requestId: request.id,
      },
      now(),
    );

  async function read(request: BlobRequest, reply: FastifyReply): Promise<FastifyReply> {
    const address = addressOf(request, reply);
    if (!address) return reply;
    const caller = callerOf(request);
    // Admission and the blob come from one statement: an admin change is seen whole or not at all.
    const read = await repository.readBlob(caller, address);
    if (!read.admitted) return refuse(request, reply, caller, address.integration, read.inactive);
    const stored = read.stored;
    await audit(request, caller, 'blob.read', address, stored ? 200 : 404);
    if (!stored)
      return sendError(
        reply,
        404,
        'not_found',
        'No blob is stored for this connection and device.',
      );
    return reply.header('etag', `"${stored.version}"`).send({
      blob: stored.blob,
      version: stored.version,
      updatedAt: new Date(stored.updatedAt).toISOString(),
    });
  }

  async function write(request: BlobRequest, reply: FastifyReply): Promise<FastifyReply> {
    const address = addressOf(request, reply);
    if (!address) return reply;
    const caller = callerOf(request);
    const { integration } = address;
    // Checked again inside the write's transaction; this early answer spares a refused caller's body
    // and fixes the revocation epoch the write must still see.
    const admission = await repository.admission(caller, integration);
    if (!admission.admitted) return refuse(request, reply, caller, integration, admission.inactive);
    const body = putBlobBodySchema.safeParse(request.body);
    if (!body.success)
      return sendError(
        reply,
        400,
        'invalid_input',
        'The body must be {"blob": "<base64url>"} within the size limit.',
      );
    const ifNoneMatch = request.headers['if-none-match'];
    const ifMatch = parseEtag(request.headers['if-match']);
    if (ifNoneMatch !== '*' && ifMatch === undefined) {
      return sendError(
        reply,
        428,
        'conflict',
        'Send If-Match with the current version, or If-None-Match: * to create.',
      );
    }
    const time = now();
    await repository.recordPrincipal(caller, time);
    const outcome = await repository.writeBlob(
      caller,
      address,
      body.data.blob,
      ifNoneMatch === '*' ? { create: true } : { ifMatch: ifMatch ?? '' },
      admission.epoch,
      time,
    );
    await audit(
      request,
      caller,
      'blob.write',
      address,
      outcome.ok ? 200 : outcome.reason === 'precondition' ? 412 : 403,
    );
    if (!outcome.ok) {
      switch (outcome.reason) {
        case 'precondition':
          return sendError(
            reply,
            412,
            'conflict',
            'The blob changed since you read it; read it again and retry.',
          );
        case 'forbidden':
        case 'inactive':
          return refuse(request, reply, caller, integration, outcome.reason === 'inactive');
        case 'revoked':
          return sendError(
            reply,
            403,
            'forbidden',
            'An administrator revoked your stored sign-ins while this request was under way; sign in to the integration again.',
          );
      }
    }
    return reply
      .header('etag', `"${outcome.version}"`)
      .send({ version: outcome.version, updatedAt: new Date(outcome.updatedAt).toISOString() });
  }

  async function remove(request: BlobRequest, reply: FastifyReply): Promise<FastifyReply> {
    const address = addressOf(request, reply);
    if (!address) return reply;
    const caller = callerOf(request);
    // Deleting is always allowed, even for a disabled integration: the user may clean up.
    const deleted = await repository.deleteBlob(caller, address);
    await audit(request, caller, 'blob.delete', address, deleted ? 204 : 404);
    if (!deleted)
      return sendError(
        reply,
        404,
        'not_found',
        'No blob is stored for this connection and device.',
      );
    return reply.code(204).send();
  }

  for (const path of [
    '/v1/blobs/:integration/:connection/:deviceId',
    '/v1/blobs/:integration/:deviceId',
  ]) {
    app.get(path, read);
    app.put(path, write);
    app.delete(path, remove);
  }
}
