import type { FastifyReply } from 'fastify';

/**
 * A REST API failure. Salesforce answers errors as a JSON array of `{message, errorCode}` objects,
 * with `fields` when fields are at fault, never as a bare object ("Status Codes and Error
 * Responses", https://developer.salesforce.com/docs/platform/api-rest/guide/errorcodes.html).
 */
export class SalesforceError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: readonly string[],
  ) {
    super(message);
    this.name = 'SalesforceError';
  }

  body(): { message: string; errorCode: string; fields?: string[] }[] {
    return [
      {
        message: this.message,
        errorCode: this.errorCode,
        ...(this.fields ? { fields: [...this.fields] } : {}),
      },
    ];
  }
}

/** 401 for a missing, unknown, expired or revoked access token. */
export const invalidSession = (message = 'Session expired or invalid') =>
  new SalesforceError(401, 'INVALID_SESSION_ID', message);
export const notFound = () =>
  new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
/** 403 when the org's daily API request allocation is used up. */
export const requestLimitExceeded = () =>
  new SalesforceError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');

/**
 * A SOQL or SOSL error at a position: Salesforce echoes the statement's line with a caret under
 * the column, then `ERROR at Row:<r>:Column:<c>` and the reason.
 */
export function statementError(
  status: number,
  errorCode: string,
  statement: string,
  offset: number,
  reason: string,
): SalesforceError {
  const before = statement.slice(0, Math.max(0, offset));
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = offset - lineStart + 1;
  const line = statement.slice(lineStart).split('\n')[0] ?? '';
  return new SalesforceError(
    status,
    errorCode,
    `\n${line}\n${' '.repeat(Math.max(0, column - 1))}^\nERROR at Row:${row}:Column:${column}\n${reason}`,
  );
}

/** The OAuth endpoints' error shape: `{"error": ..., "error_description": ...}` (RFC 6749 section 5.2). */
export function sendOAuthError(
  reply: FastifyReply,
  status: number,
  error: string,
  description: string,
): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-cache, no-store')
    .type('application/json;charset=UTF-8')
    .send({ error, error_description: description });
}
