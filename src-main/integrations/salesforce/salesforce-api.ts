import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import { workstationError } from '../../../src-shared/errors';
import { salesforceErrorCode } from './salesforce-errors';

/**
 * The REST API version every call names. v62.0 is Winter '25: Salesforce keeps versions for years
 * and lists what an org serves at `GET /services/data/` ("Versions",
 * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-versions.html); raise it
 * deliberately, after checking the objects and fields Workstation reads.
 */
export const SALESFORCE_API_VERSION = 'v62.0';
const DATA = `/services/data/${SALESFORCE_API_VERSION}`;

/** `GET /search` answers `{searchRecords: [...]}` since v36.0 (a bare array before). */
const searchAnswerSchema = z.union([
  z.object({ searchRecords: z.array(z.unknown()) }).passthrough(),
  z.array(z.unknown()),
]);
/** A query batch; `nextRecordsUrl` (relative to the instance) until `done` ("Query", https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query.html). */
const queryAnswerSchema = z
  .object({
    totalSize: z.number().optional(),
    done: z.boolean(),
    nextRecordsUrl: z.string().nullable().optional(),
    records: z.array(z.unknown()),
  })
  .passthrough();
/** Query locators look like `/services/data/vNN.N/query/01g...-2000`: only ever followed on the same instance. */
const NEXT_RECORDS = /^\/services\/data\/v\d+\.\d\/query(?:All)?\/[A-Za-z0-9-]+$/;

/** The outcome of a PATCH the caller words itself (a task that is gone, a status the org refuses). */
export type UpdateOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: 400 | 404; readonly errorCode: string | undefined };

/**
 * The Salesforce REST calls Workstation makes, and nothing else, over the connection's authorized
 * client (its baseURL is the org's `instance_url`; the token injector adds the bearer token and
 * renews the session once on 401 INVALID_SESSION_ID).
 */
export class SalesforceApi {
  constructor(private readonly http: AxiosInstance) {}

  /** One SOSL search ("Search", https://developer.salesforce.com/docs/platform/api-rest/guide/resources-search.html). */
  async search(sosl: string, signal: AbortSignal): Promise<unknown[]> {
    const response = await this.http.get(`${DATA}/search/`, { params: { q: sosl }, signal });
    const parsed = searchAnswerSchema.safeParse(response.data);
    if (!parsed.success)
      throw workstationError(
        'upstream_failed',
        'Salesforce answered the search in an unexpected form.',
      );
    return Array.isArray(parsed.data) ? parsed.data : parsed.data.searchRecords;
  }

  /**
   * A SOQL query with every batch: Salesforce may answer fewer rows than asked per batch, so
   * `nextRecordsUrl` is followed until `done` or `maxRecords` rows are in hand ("Query More
   * Results", https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query-more-results.html).
   * `batchSize` (200 to 2,000) goes in `Sforce-Query-Options` ("Query Options Header",
   * https://developer.salesforce.com/docs/platform/api-rest/guide/headers-queryoptions.html).
   */
  async query(
    soql: string,
    options: { signal?: AbortSignal; batchSize?: number; maxRecords?: number } = {},
  ): Promise<unknown[]> {
    const headers = options.batchSize
      ? { 'sforce-query-options': `batchSize=${options.batchSize}` }
      : {};
    const max = options.maxRecords ?? Infinity;
    const records: unknown[] = [];
    let next: string | undefined;
    let first = true;
    while (first || next) {
      const response = first
        ? await this.http.get(`${DATA}/query/`, {
            params: { q: soql },
            headers,
            signal: options.signal,
          })
        : await this.http.get(next ?? '', { headers, signal: options.signal });
      first = false;
      const parsed = queryAnswerSchema.safeParse(response.data);
      if (!parsed.success)
        throw workstationError(
          'upstream_failed',
          'Salesforce answered the query in an unexpected form.',
        );
      records.push(...parsed.data.records);
      next =
        parsed.data.done || records.length >= max
          ? undefined
          : (parsed.data.nextRecordsUrl ?? undefined);
      if (next !== undefined && !NEXT_RECORDS.test(next))
        throw workstationError(
          'upstream_failed',
          'Salesforce answered the query with a next page Workstation does not follow.',
        );
    }
    return records.slice(0, max);
  }

  /** `PATCH /sobjects/<type>/<id>`: 204 on success ("Update a Record", https://developer.salesforce.com/docs/platform/api-rest/guide/dome-update-fields.html). */
  async update(
    type: string,
    id: string,
    fields: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<UpdateOutcome> {
    const response = await this.http.patch(
      `${DATA}/sobjects/${encodeURIComponent(type)}/${encodeURIComponent(id)}`,
      fields,
      { signal, validateStatus: (status) => status < 400 || status === 400 || status === 404 },
    );
    if (response.status === 400 || response.status === 404)
      return { ok: false, status: response.status, errorCode: salesforceErrorCode(response.data) };
    return { ok: true };
  }

  /** The resources of the API version: the cheapest authenticated call, used as the health probe. */
  async ping(signal?: AbortSignal): Promise<void> {
    await this.http.get(`${DATA}/`, { signal });
  }

  /**
   * The signed-in user's id, from the UserInfo endpoint ("Query for User Information",
   * https://help.salesforce.com/HTViewHelpDoc?id=remoteaccess_using_userinfo_endpoint.htm).
   * The identity service answers an expired session with 403 `Bad_OAuth_Token`, not the REST
   * API's 401, so one REST call lets the injector renew the session before the second ask.
   */
  async currentUserId(signal?: AbortSignal): Promise<string> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await this.http.get('/services/oauth2/userinfo', {
        signal,
        validateStatus: (status) => status < 400 || status === 403,
      });
      if (response.status !== 403) {
        const parsed = z
          .object({ user_id: z.string().regex(/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/) })
          .passthrough()
          .safeParse(response.data);
        if (!parsed.success)
          throw workstationError(
            'upstream_failed',
            'Salesforce answered who you are in an unexpected form.',
          );
        return parsed.data.user_id;
      }
      if (attempt === 0) await this.ping(signal);
    }
    throw workstationError(
      'forbidden',
      'Salesforce did not say who you are: the connected app needs the "id" scope. Ask your Salesforce administrator.',
    );
  }
}
