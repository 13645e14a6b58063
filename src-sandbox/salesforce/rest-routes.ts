import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FaultController } from '../faults/fault-controller';
import { apiVersions, resolveVersion } from './api-versions';
import { bearerOf } from './oauth-routes';
import {
  SalesforceError,
  invalidSession,
  notFound,
  requestLimitExceeded,
} from './salesforce-error';
import { normalizeId } from './salesforce-ids';
import type { SalesforceOrg } from './salesforce-org';
import type { SalesforceState, Session } from './salesforce-state';
import { runSoql, type QueryContext, type ShapedRecord } from './soql-engine';
import { parameterizedToSosl, parseSosl, runSearch, type ParameterizedSearch } from './sosl';
import { etagOf, findRow, readRow, updateRow } from './sobject-rows';
import { sobjectByName, sobjects } from './sobjects';

/** What one environment's REST API needs. */
export interface RestEnvironment {
  readonly org: SalesforceOrg;
  readonly state: SalesforceState;
  readonly faults: FaultController;
  instanceOrigin(): string;
}

const JSON_TYPE = 'application/json;charset=UTF-8';
const DEFAULT_BATCH = 2000;

/**
 * `Sforce-Query-Options: batchSize=n`: 200 to 2,000, 2,000 by default ("Query Options Header",
 * https://developer.salesforce.com/docs/platform/api-rest/guide/headers-queryoptions.html).
 */
function batchSizeOf(header: string | string[] | undefined): number {
  const requested = Number(/batchSize\s*=\s*(\d+)/i.exec(String(header ?? ''))?.[1]);
  return Number.isInteger(requested) && requested > 0
    ? Math.min(Math.max(requested, 200), DEFAULT_BATCH)
    : DEFAULT_BATCH;
}

const parameterizedBody = z
  .object({
    q: z.string(),
    in: z.string().optional(),
    fields: z.array(z.string()).optional(),
    sobjects: z
      .array(
        z
          .object({
            name: z.string(),
            fields: z.array(z.string()).optional(),
            limit: z.number().optional(),
            where: z.string().optional(),
          })
          .passthrough(),
      )
      .optional(),
    overallLimit: z.number().optional(),
    defaultLimit: z.number().optional(),
  })
  .passthrough();

/** GET parameters of a parameterized search: `sobject` repeats, `<Object>.fields|limit|where` per object. */
function parameterizedFromQuery(params: URLSearchParams): ParameterizedSearch {
  const number = (value: string | null) => (value === null ? undefined : Number(value));
  const list = (value: string | null) =>
    value === null
      ? undefined
      : value
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean);
  const names = params.getAll('sobject');
  return {
    q: params.get('q') ?? '',
    in: params.get('in') ?? undefined,
    fields: list(params.get('fields')),
    sobjects:
      names.length > 0
        ? names.map((name) => ({
            name,
            fields: list(params.get(`${name}.fields`)),
            limit: number(params.get(`${name}.limit`)),
            where: params.get(`${name}.where`) ?? undefined,
          }))
        : undefined,
    overallLimit: number(params.get('overallLimit')),
    defaultLimit: number(params.get('defaultLimit')),
  };
}

/**
 * The REST API on the org's instance: versions, resources, query (with query-more paging), search,
 * parameterized search, sObject rows (GET, PATCH), describe and limits. Every call but the
 * versions list needs a live access token with the `api` scope, counts against the org's daily
 * allocation and answers `Sforce-Limit-Info` ("Limit Info Header",
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm).
 * Creating and deleting records is not served.
 */
export function registerRestRoutes(app: FastifyInstance, env: RestEnvironment): void {
  const { org, state } = env;

  // No authentication, and not counted against limits ("Versions").
  const versions = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.type(JSON_TYPE).send(
      apiVersions.map((entry) => ({
        label: entry.label,
        url: `/services/data/v${entry.version}`,
        version: entry.version,
      })),
    );
  app.get('/services/data', versions);
  app.get('/services/data/', versions);

  const authenticate = (request: FastifyRequest): Session => {
    const knobs = env.faults.get('salesforce');
    const token = bearerOf(request);
    const session = token ? state.session(token, knobs.sessionTimeoutSec) : undefined;
    if (!session) throw invalidSession();
    if (!session.scopes.includes('api') && !session.scopes.includes('full'))
      throw invalidSession('This session is not valid for use with the REST API');
    request.sandboxUser = session.user.Id;
    return session;
  };
  const limitInfo = (reply: FastifyReply) =>
    reply.header(
      'sforce-limit-info',
      `api-usage=${state.apiRequestsUsed}/${env.faults.get('salesforce').dailyApiRequests}`,
    );

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const url = new URL(request.url, env.instanceOrigin());
    const [, , versionSegment = '', ...path] = url.pathname.split('/').filter(Boolean);
    limitInfo(reply);
    const version = resolveVersion(versionSegment);
    if (!version) throw notFound();
    const session = authenticate(request);
    const max = env.faults.get('salesforce').dailyApiRequests;
    if (state.apiRequestsUsed >= max) throw requestLimitExceeded();
    state.apiRequestsUsed += 1;
    limitInfo(reply);
    const context: QueryContext = { org, user: session.user, now: Date.now(), version };
    // Clients that cannot send PATCH post with ?_HttpMethod=PATCH ("Update a Record").
    const method =
      request.method === 'POST' && url.searchParams.get('_HttpMethod')?.toUpperCase() === 'PATCH'
        ? 'PATCH'
        : request.method;
    const only = (...allowed: string[]) => {
      if (!allowed.includes(method))
        throw new SalesforceError(
          405,
          'METHOD_NOT_ALLOWED',
          `HTTP Method '${method}' not allowed. Allowed are ${[...allowed, 'HEAD'].join(',')}`,
        );
    };
    const json = (body: unknown) => reply.type(JSON_TYPE).send(body);
    const base = `/services/data/v${version}`;
    const [resource = '', second, third, ...rest] = path;
    if (rest.length > 0) throw notFound();

    if (resource === '' && second === undefined) {
      only('GET');
      return json(
        Object.fromEntries(
          ['limits', 'parameterizedSearch', 'query', 'queryAll', 'search', 'sobjects'].map(
            (name) => [name, `${base}/${name}`],
          ),
        ),
      );
    }
    if (resource === 'limits' && second === undefined) {
      only('GET');
      const used = state.apiRequestsUsed;
      // "Limits", https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm
      return json({
        ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
        ConcurrentSyncReportRuns: { Max: 20, Remaining: 20 },
        DailyApiRequests: { Max: max, Remaining: Math.max(0, max - used) },
        DailyAsyncApexExecutions: { Max: 250_000, Remaining: 250_000 },
        DailyBulkApiBatches: { Max: 15_000, Remaining: 15_000 },
        DataStorageMB: { Max: 5, Remaining: 5 },
        FileStorageMB: { Max: 20, Remaining: 20 },
      });
    }
    if ((resource === 'query' || resource === 'queryAll') && third === undefined) {
      only('GET');
      if (second !== undefined) return json(queryMore(second, session, base));
      const soql = url.searchParams.get('q');
      if (!soql)
        throw new SalesforceError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
      const result = runSoql(soql, context);
      return json(
        firstPage(
          result.records,
          result.totalSize,
          batchSizeOf(request.headers['sforce-query-options']),
          session,
          base,
        ),
      );
    }
    if (resource === 'search' && second === undefined) {
      only('GET');
      const sosl = url.searchParams.get('q');
      if (!sosl)
        throw new SalesforceError(
          400,
          'MALFORMED_SEARCH',
          'No search term found. The search term must be enclosed in braces.',
        );
      return json({ searchRecords: runSearch(parseSosl(sosl, context), context) });
    }
    if (resource === 'parameterizedSearch' && second === undefined) {
      only('GET', 'POST');
      let search: ParameterizedSearch;
      if (method === 'POST') {
        const body = parameterizedBody.safeParse(request.body);
        if (!body.success)
          throw new SalesforceError(
            400,
            'JSON_PARSER_ERROR',
            `The request body is not a valid parameterized search: ${body.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
          );
        search = body.data;
      } else {
        search = parameterizedFromQuery(url.searchParams);
      }
      if (!search.q)
        throw new SalesforceError(
          400,
          'MALFORMED_SEARCH',
          'No search term found. The search term must be enclosed in braces.',
        );
      return json({
        searchRecords: runSearch(parseSosl(parameterizedToSosl(search), context), context),
      });
    }
    if (resource === 'sobjects') {
      if (second === undefined) {
        only('GET');
        return json({
          encoding: 'UTF-8',
          maxBatchSize: 200,
          sobjects: sobjects.map((sobject) => ({
            name: sobject.name,
            label: sobject.label,
            labelPlural: sobject.labelPlural,
            keyPrefix: sobject.keyPrefix,
            queryable: true,
            searchable: sobject.searchable,
            updateable: sobject.name !== 'User',
            urls: {
              sobject: `${base}/sobjects/${sobject.name}`,
              describe: `${base}/sobjects/${sobject.name}/describe`,
              rowTemplate: `${base}/sobjects/${sobject.name}/{ID}`,
            },
          })),
        });
      }
      const sobject = sobjectByName(second);
      if (!sobject) throw notFound();
      if (third === undefined || third === 'describe') {
        only('GET');
        const describe = {
          name: sobject.name,
          label: sobject.label,
          labelPlural: sobject.labelPlural,
          keyPrefix: sobject.keyPrefix,
          fields: sobject.fields.map((field) => ({
            name: field.name,
            type: field.type,
            updateable: field.updatable,
            nillable: field.name !== 'Id',
            picklistValues: (field.picklist?.values ?? []).map((value) => ({
              active: true,
              label: value,
              value,
            })),
            restrictedPicklist: field.picklist?.restricted ?? false,
            referenceTo: field.reference?.to ?? [],
            relationshipName: field.reference?.relationshipName ?? null,
            polymorphicForeignKey: field.reference?.polymorphic ?? false,
          })),
        };
        return json(
          third === 'describe'
            ? describe
            : {
                objectDescribe: {
                  name: sobject.name,
                  label: sobject.label,
                  keyPrefix: sobject.keyPrefix,
                },
                recentItems: [],
              },
        );
      }
      only('GET', 'PATCH');
      const { record } = findRow(org, sobject.name, third);
      if (method === 'PATCH') {
        if (sobject.name === 'User')
          throw new SalesforceError(
            403,
            'INSUFFICIENT_ACCESS_OR_READONLY',
            'insufficient access rights on object id',
          );
        const ifMatch = request.headers['if-match'];
        updateRow(
          org,
          sobject,
          record,
          request.body,
          typeof ifMatch === 'string' ? ifMatch : undefined,
        );
        return reply.code(204).send();
      }
      const etag = etagOf(sobject, record);
      if (etag) reply.header('etag', etag);
      return json(readRow(sobject, record, url.searchParams.get('fields'), context));
    }
    throw notFound();
  };
  app.route({
    method: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    url: '/services/data/*',
    handler: handle,
  });

  /** The first batch; the rest wait behind a query locator in `nextRecordsUrl` ("Query", https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query.html). */
  const firstPage = (
    records: readonly ShapedRecord[],
    totalSize: number,
    batchSize: number,
    session: Session,
    base: string,
  ) => {
    if (records.length <= batchSize) return { totalSize, done: true, records };
    const locator = state.newCursor({
      userId: session.user.Id,
      records,
      batchSize,
      lastUsedAt: Date.now(),
    });
    return {
      totalSize,
      done: false,
      nextRecordsUrl: `${base}/query/${locator}-${batchSize}`,
      records: records.slice(0, batchSize),
    };
  };
  /** `GET <nextRecordsUrl>`: the batch after `<locator>-<offset>` ("Query More Results", https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query-more-results.html). */
  const queryMore = (segment: string, session: Session, base: string) => {
    const match = /^(01g[A-Za-z0-9]{12})-(\d+)$/.exec(segment);
    const cursor = match ? state.cursors.get(match[1] ?? '') : undefined;
    const offset = Number(match?.[2]);
    if (
      !cursor ||
      cursor.userId !== session.user.Id ||
      offset > cursor.records.length ||
      Date.now() - cursor.lastUsedAt > 15 * 60_000
    )
      throw new SalesforceError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    cursor.lastUsedAt = Date.now();
    const end = offset + cursor.batchSize;
    const done = end >= cursor.records.length;
    return {
      totalSize: cursor.records.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `${base}/query/${match?.[1] ?? ''}-${end}` }),
      records: cursor.records.slice(offset, end),
    };
  };

  // Record links: `<instance_url>/<id>` opens the record's page, as in the Salesforce UI.
  app.get<{ Params: { id: string } }>('/:id', async (request, reply) => {
    const id = normalizeId(request.params.id);
    const entry = id ? org.byId.get(id) : undefined;
    if (!entry)
      return reply
        .code(404)
        .type('text/html; charset=utf-8')
        .send('<!doctype html><title>Not found</title><p>URL No Longer Exists</p>');
    return reply.redirect(`/lightning/r/${entry.type}/${entry.record.Id}/view`, 302);
  });
  app.get<{ Params: { type: string; id: string } }>(
    '/lightning/r/:type/:id/view',
    async (request, reply) => {
      const entry = org.byId.get(normalizeId(request.params.id) ?? '');
      if (!entry || entry.type !== request.params.type)
        return reply
          .code(404)
          .type('text/html; charset=utf-8')
          .send('<!doctype html><title>Not found</title><p>This record is not available.</p>');
      const title = String(entry.record.Name ?? entry.record.Subject ?? entry.record.Id).replace(
        /[&<>"']/g,
        (char) => `&#${char.charCodeAt(0)};`,
      );
      return reply
        .type('text/html; charset=utf-8')
        .send(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} | ${entry.type} | Salesforce (sandbox)</title></head><body><h1>${title}</h1><p>${entry.type} ${entry.record.Id} in ${org.name}</p></body></html>`,
        );
    },
  );
}
