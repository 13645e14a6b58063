import { describe, expect, it } from 'vitest';
import { mapSalesforceError, REQUEST_LIMIT_RETRY_MS } from './salesforce-errors';

const NAME = 'Salesforce · sandbox';
// Error bodies as documented: a JSON array of {message, errorCode}
// (https://developer.salesforce.com/docs/platform/api-rest/guide/errorcodes.html).
const failure = (status: number, errorCode?: string, headers: Record<string, unknown> = {}) => ({
  status,
  data: errorCode ? [{ message: 'upstream words', errorCode }] : '',
  headers,
});

describe('Salesforce error bodies', () => {
  it("leaves 401 INVALID_SESSION_ID to the injector's refresh and retry", () => {
    expect(mapSalesforceError(failure(401, 'INVALID_SESSION_ID'), NAME)).toBeUndefined();
  });

  it('says REQUEST_LIMIT_EXCEEDED is throttling, with a time to try again', () => {
    const before = Date.now();
    const error = mapSalesforceError(failure(403, 'REQUEST_LIMIT_EXCEEDED'), NAME);
    expect(error).toMatchObject({ code: 'throttled', retryable: true });
    expect(error?.message).toContain(NAME);
    expect(error?.retryAt).toBeGreaterThanOrEqual(before + REQUEST_LIMIT_RETRY_MS);
    expect(
      mapSalesforceError(failure(403, 'REQUEST_LIMIT_EXCEEDED', { 'retry-after': '7' }), NAME)
        ?.retryAt,
    ).toBeLessThan(before + REQUEST_LIMIT_RETRY_MS);
  });

  it("words a refused search or query for the user, without Salesforce's own text", () => {
    for (const code of ['MALFORMED_SEARCH', 'INVALID_SEARCH']) {
      const error = mapSalesforceError(failure(400, code), NAME);
      expect(error).toMatchObject({ code: 'upstream_failed', retryable: false });
      expect(error?.message).toBe(`${NAME} could not search for that text. Try other words.`);
    }
    expect(mapSalesforceError(failure(400, 'MALFORMED_QUERY'), NAME)).toMatchObject({
      code: 'upstream_failed',
      retryable: false,
    });
    expect(mapSalesforceError(failure(400, 'MALFORMED_QUERY'), NAME)?.message).not.toContain(
      'upstream words',
    );
  });

  it('says forbidden for missing access, and not found for a missing record', () => {
    expect(mapSalesforceError(failure(403, 'INSUFFICIENT_ACCESS_OR_READONLY'), NAME)).toMatchObject(
      { code: 'forbidden' },
    );
    expect(
      mapSalesforceError(failure(400, 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY'), NAME),
    ).toMatchObject({ code: 'forbidden' });
    expect(mapSalesforceError(failure(403), NAME)).toMatchObject({ code: 'forbidden' });
    expect(mapSalesforceError(failure(403, 'API_DISABLED_FOR_ORG'), NAME)?.message).toContain(
      'API access is not enabled',
    );
    expect(mapSalesforceError(failure(404, 'NOT_FOUND'), NAME)).toMatchObject({
      code: 'not_found',
    });
    expect(mapSalesforceError(failure(404, 'ENTITY_IS_DELETED'), NAME)).toMatchObject({
      code: 'not_found',
    });
  });

  it('leaves what it does not know to the generic mapping', () => {
    expect(mapSalesforceError(failure(503, 'SERVER_UNAVAILABLE'), NAME)).toBeUndefined();
    expect(mapSalesforceError(failure(500, 'UNKNOWN_EXCEPTION'), NAME)).toBeUndefined();
    expect(
      mapSalesforceError({ status: 400, data: { error: 'not an array' }, headers: {} }, NAME),
    ).toBeUndefined();
  });
});
