import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { ErrorCode, ErrorData } from '../../src-shared/errors';

/** Which fields of a request were rejected, and why (at most 50, as the error shape allows). */
export type StoreIssues = NonNullable<ErrorData['issues']>;

/** Sends the store's one error shape: `{ error: { code, message, requestId, issues? } }`. */
export function sendError(
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  message: string,
  issues?: StoreIssues,
): FastifyReply {
  return reply
    .code(status)
    .send({ error: { code, message, requestId: reply.request.id, ...(issues ? { issues } : {}) } });
}

/** A zod error's issues as `{ path, message }`, paths dotted and under `prefix` (`settings.orgs.0.url`). */
export function issuesOf(error: z.ZodError, prefix?: string): StoreIssues {
  return error.issues.slice(0, 50).map((issue) => ({
    path: [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.'),
    message: issue.message.slice(0, 500),
  }));
}
