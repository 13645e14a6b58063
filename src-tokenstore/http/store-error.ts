import type { FastifyReply } from 'fastify';
import type { ErrorCode } from '../../src-shared/errors';

/** Sends the store's one error shape: `{ error: { code, message, requestId } }`. */
export function sendError(reply: FastifyReply, status: number, code: ErrorCode, message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message, requestId: reply.request.id } });
}
