import { z } from 'zod';
import { workstationError, type WorkstationError } from '../../../src-shared/errors';
import type { UpstreamFailure } from '../integration-descriptor';

/**
 * Salesforce answers REST errors as a JSON array of `{message, errorCode, fields?}` ("Status Codes
 * and Error Responses", https://developer.salesforce.com/docs/platform/api-rest/guide/errorcodes.html).
 */
const errorBodySchema = z
  .array(z.object({ errorCode: z.string(), message: z.string().optional() }).passthrough())
  .min(1);

/** How long to wait after REQUEST_LIMIT_EXCEEDED: Salesforce sends no Retry-After with it. */
export const REQUEST_LIMIT_RETRY_MS = 60_000;

/** The first errorCode of a Salesforce error body, if it is one. */
export function salesforceErrorCode(data: unknown): string | undefined {
  const parsed = errorBodySchema.safeParse(data);
  return parsed.success ? parsed.data[0]?.errorCode : undefined;
}

/**
 * Words Salesforce's own errors for the connection's row and chips. 401 (INVALID_SESSION_ID) is
 * left to the token injector, which renews the session once and retries; 503 and network
 * failures too. Undefined = the generic mapping.
 */
export function mapSalesforceError(
  failure: UpstreamFailure,
  displayName: string,
): WorkstationError | undefined {
  if (failure.status === 401) return undefined;
  const code = salesforceErrorCode(failure.data);
  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    // The org's API request allocation (24 hours, rolling) or its concurrent long-request limit
    // ("API Request Limits and Allocations",
    // https://developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet/guide/salesforce-app-limits-platform-api.html).
    const header = Number(failure.headers['retry-after']);
    const waitMs =
      Number.isFinite(header) && header > 0 ? Math.ceil(header * 1000) : REQUEST_LIMIT_RETRY_MS;
    return workstationError(
      'throttled',
      `${displayName} has reached its API request limit; Workstation will try again later.`,
      { retryAt: Date.now() + waitMs },
    );
  }
  if (code === 'MALFORMED_SEARCH' || code === 'INVALID_SEARCH')
    return workstationError(
      'upstream_failed',
      `${displayName} could not search for that text. Try other words.`,
      { retryable: false },
    );
  if (code === 'MALFORMED_QUERY' || code === 'INVALID_FIELD' || code === 'INVALID_TYPE') {
    return workstationError(
      'upstream_failed',
      `${displayName} did not accept Workstation's request (${code}). Your org may hide a field Workstation reads; ask your Salesforce administrator.`,
      { retryable: false },
    );
  }
  if (code === 'API_DISABLED_FOR_ORG' || code === 'API_CURRENTLY_DISABLED')
    return workstationError(
      'forbidden',
      `API access is not enabled for your ${displayName} user or org. Ask your Salesforce administrator.`,
    );
  if (code?.startsWith('INSUFFICIENT_ACCESS') || failure.status === 403)
    return workstationError(
      'forbidden',
      `Your ${displayName} user may not do that. Ask your Salesforce administrator for access.`,
    );
  if (code === 'NOT_FOUND' || code === 'ENTITY_IS_DELETED' || failure.status === 404)
    return workstationError(
      'not_found',
      `${displayName} could not find that record; it may have been deleted.`,
    );
  return undefined;
}
