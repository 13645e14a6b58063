import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/**
 * Answers an Entra-shaped token error: `error`, `error_description` starting with the AADSTS code
 * and carrying trace and correlation ids, `error_codes`, `timestamp`, `trace_id`, `correlation_id`,
 * `error_uri`, and `suberror` and `claims` (a Conditional Access challenge) when Entra sends them.
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
export function sendEntraError(
  reply: FastifyReply,
  status: number,
  error: string,
  code: number,
  description: string,
  suberror?: string,
  claims?: string,
): FastifyReply {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return reply
    .code(status)
    .header('cache-control', 'no-store, no-cache')
    .header('pragma', 'no-cache')
    .send({
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
      ...(suberror ? { suberror } : {}),
      ...(claims ? { claims } : {}),
    });
}
