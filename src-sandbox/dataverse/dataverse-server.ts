import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEMO_TENANT_ID } from '../../src-shared/demo-tenant';
import type { Row, SampleData } from '../data/sample-data';
import type { SigningKeys } from '../entra/signing-keys';
import type { FaultController } from '../faults/fault-controller';
import type { RequestCounter } from '../faults/request-counter';
import { createServiceApp } from '../http/service-app';
import type { LocalTls } from '../../src-dev-tls/local-ca';
import { verifyBearer } from './caller-auth';
import { ChangeTracking } from './change-tracking';
import { DataverseError, queryError } from './dataverse-error';
import { DirectoryTables, pageAfter, type DirectoryTable } from './directory-tables';
import { nextLink } from './paging-cookie';
import { WebhookCaller } from './webhook-caller';
import { entityByLogicalName, entityBySet, entities, type EntityMetadata } from './entity-metadata';
import { compileFilter, type FollowNavigation } from './odata/filter-evaluator';
import { parseFilter } from './odata/filter-parser';
import {
  contextSelectList,
  parsePrefer,
  parseQueryOptions,
  wantsAnnotation,
} from './query-options';
import { compareRows } from './row-order';
import { RowShaper, type ReadScope } from './row-shaper';
import { runSearch, SearchLimiter } from './search-api';
import { registerRecordPage } from './record-page';
import { ServiceProtectionLimiter } from './service-protection';
import { SearchIndex } from './search-index';

/** What the Dataverse stand-in needs. */
export interface DataverseOptions {
  readonly tls: LocalTls;
  readonly keys: SigningKeys;
  readonly data: SampleData;
  readonly faults: FaultController;
  readonly counter: RequestCounter;
  readonly orgUrl: () => string;
  readonly entraOrigin: () => string;
  /** The Entra tenant the org belongs to; the demo tenant, whose users are the org's systemusers, by default. */
  readonly tenantId?: string;
  /**
   * Set for a second org: its requests count as `dataverse:<label>` and `search:<label>`, apart from
   * the first org's, under the same fault knobs (`dataverse`, `search`).
   */
  readonly counterLabel?: string;
  /** The org's unique name (a webhook context's OrganizationName). */
  readonly organizationName?: string;
}

const API = '/api/data/v9.2';
const MAX_PAGE = 5000;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const TOTAL_COUNT = 'Microsoft.Dynamics.CRM.totalrecordcount';
const TOTAL_COUNT_EXCEEDED = 'Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded';

/** Preference-Applied names every honoured preference (RFC 7240: one list, comma-separated). */
const preferenceApplied = (reply: FastifyReply, applied: readonly string[]) =>
  applied.length > 0 ? reply.header('preference-applied', applied.join(',')) : reply;

/** Whether an If-None-Match list names `etag`, by weak comparison (RFC 7232 section 3.2); `*` names any row. */
const noneMatchHits = (header: string | undefined, etag: string) =>
  (header ?? '')
    .split(',')
    .some(
      (candidate) =>
        candidate.trim() === '*' ||
        candidate.trim().replace(/^W\//, '') === etag.replace(/^W\//, ''),
    );

/**
 * The Dataverse Web API v9.2 stand-in, served at the root of its own origin (the org URL): entity
 * sets, WhoAmI, the OData subset real clients use, cookie-shaped paging, annotations on request,
 * task PATCH with ETags, relevance search (v2.0 and the searchquery action), Dataverse-shaped errors.
 * Each caller sees only the rows their systemuser owns.
 */
export function createDataverseApp(options: DataverseOptions): {
  app: FastifyInstance;
  directory: DirectoryTables;
  tracking: ChangeTracking;
  webhooks: WebhookCaller;
} {
  const { data, faults } = options;
  const shaper = new RowShaper(data, () => options.orgUrl());
  const directory = new DirectoryTables(data);
  const tracking = new ChangeTracking(directory);
  const webhooks = new WebhookCaller(directory, {
    origin: () => ({
      organizationId: data.organizationId,
      organizationName: options.organizationName ?? 'contoso',
      businessUnitId: data.businessUnitId,
      // Changes come from the sandbox's admin knobs; they are attributed to the org's first person.
      userId: String(data.tables.systemuser[0]?.systemuserid ?? ''),
    }),
    organizationDomain: () => new URL(options.orgUrl()).host,
    ca: options.tls.caCert,
  });
  directory.onChange((change) =>
    change.kind === 'deleted'
      ? shaper.remove(change.table, change.id)
      : shaper.add(change.table, change.id, change.row),
  );
  const limiter = new SearchLimiter();
  const protection = new ServiceProtectionLimiter();
  const counted = (service: 'dataverse' | 'search') =>
    options.counterLabel ? (`${service}:${options.counterLabel}` as const) : service;
  const searchIndex = new SearchIndex(
    (table) => data.tables[table as keyof SampleData['tables']] ?? [],
  );
  const isSearch = (url: string) =>
    url.startsWith('/api/search/') || url.startsWith(`${API}/searchquery`);
  const app = createServiceApp(
    'dataverse',
    options.tls,
    faults,
    options.counter,
    {
      throttled: (reply, retryAfter) =>
        reply
          .code(429)
          .header('retry-after', String(retryAfter))
          .header('x-ms-ratelimit-burst-remaining-xrm-requests', '0')
          .send({
            error: {
              code: '0x80072322',
              message:
                'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
            },
          }),
      unavailable: (reply) =>
        reply.code(503).send({
          error: {
            code: '0x80040216',
            message: 'The service is temporarily unavailable. Please try again later.',
          },
        }),
    },
    (url) => (isSearch(url) ? 'search' : 'dataverse'),
    (service) => (options.counterLabel ? `${service}:${options.counterLabel}` : service),
  );

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('odata-version', '4.0');
    return payload;
  });
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof DataverseError) return reply.code(error.status).send(error.body());
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status < 500)
      return reply
        .code(status)
        .send({ error: { code: '0x80040203', message: 'The request body is not valid JSON.' } });
    return reply
      .code(500)
      .send({ error: { code: '0x80040216', message: 'An unexpected error occurred.' } });
  });

  /** The caller's systemuser, or a 401/403 exactly as Dataverse answers them. */
  const authenticate = async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<Row | undefined> => {
    const caller = await verifyBearer(
      request.headers.authorization,
      options.keys.publicKey,
      options.orgUrl(),
      options.entraOrigin(),
    );
    if (!caller) {
      // Clients discover the org's tenant from this challenge, so it names that tenant, never `common`:
      // https://learn.microsoft.com/dynamics365/customerengagement/on-premises/developer/walkthrough-multi-tenant-server-server-authentication
      reply
        .code(401)
        .header(
          'www-authenticate',
          `Bearer authorization_uri=${options.entraOrigin()}/${options.tenantId ?? DEMO_TENANT_ID}/oauth2/authorize, resource_id=${options.orgUrl()}/`,
        )
        .send('');
      return undefined;
    }
    request.sandboxUser = caller.oid;
    const user = directory.byObjectId(caller.oid);
    const knobs = faults.get('dataverse');
    if (user && !isSearch(request.url) && knobs.serviceProtectionLimits) {
      const admitted = protection.admit(String(user.systemuserid), {
        requestsPer5Min: knobs.requestsPer5Min,
        concurrent: knobs.concurrentRequests,
      });
      if (!('release' in admitted)) {
        options.counter.recordLimit(counted('dataverse'), admitted.limit);
        reply
          .code(429)
          .header('retry-after', String(admitted.retryAfterSec))
          .send({ error: { code: admitted.code, message: admitted.message } });
        return undefined;
      }
      // 'close' fires when the response is done or the client went away.
      reply.raw.once('close', admitted.release);
    }
    if (caller.appOnly) {
      // An app-only token gets in only as the app's application user in this org; without one,
      // Dataverse answers 403 0x80072560 (https://learn.microsoft.com/power-platform/admin/manage-application-users,
      // https://learn.microsoft.com/power-apps/developer/data-platform/build-web-applications-server-server-s2s-authentication).
      if (!user || user.applicationid !== caller.appId) {
        reply.code(403).send({
          error: { code: '0x80072560', message: 'The user is not a member of the organization.' },
        });
        return undefined;
      }
      return user;
    }
    if (!user || user.applicationid !== null || !caller.scopes.includes('user_impersonation')) {
      reply.code(403).send({
        error: {
          code: '0x80040220',
          message: `Principal user (Id=${caller.oid}, type=8) is missing prvReadAccount privilege. context.Caller=${caller.oid}`,
        },
      });
      return undefined;
    }
    return user;
  };
  /**
   * An application user reads what its security role grants: the directory tables at organization
   * level, or nothing once the role is taken away; anything else is the documented privilege error
   * ("Principal user is missing privilege on OTC for entity", -2147220960:
   * https://learn.microsoft.com/troubleshoot/power-platform/power-apps/dataverse/client-errors).
   */
  const requireRead = (user: Row, entity: EntityMetadata) => {
    if (user.applicationid === null || user.applicationid === undefined) return;
    const role = directory.hasSecurityRole(String(user.applicationid));
    if (role && directoryTables.has(entity.logicalName)) return;
    throw new DataverseError(
      403,
      '0x80040220',
      `Principal user (Id=${String(user.systemuserid)}, type=8, roleCount=${role ? 1 : 0}, privilegeCount=${role ? 3 : 0}, accessMode=4), is missing ${readPrivilege(entity)} privilege on OTC=${entity.objectTypeCode} for entity '${entity.logicalName}'. context.Caller=${String(user.systemuserid)}`,
    );
  };
  /** The rows one caller may read (their own; the whole directory), each table filtered once per request. */
  const readScope = (user: Row): ReadScope => {
    const cache = new Map<string, readonly Row[]>();
    const canRead = (table: string, row: Row) =>
      directoryTables.has(table) || row._ownerid_value === user.systemuserid;
    const visible = (table: string): readonly Row[] => {
      // The directory is everyone's to read: its own arrays, in key order, never copied.
      if (directoryTables.has(table)) return directory.rows(table as DirectoryTable);
      const cached = cache.get(table);
      if (cached) return cached;
      const rows = (data.tables[table as keyof SampleData['tables']] ?? []).filter((row) =>
        canRead(table, row),
      );
      cache.set(table, rows);
      return rows;
    };
    return { visible, canRead };
  };
  const followIn =
    (scope: ReadScope): FollowNavigation =>
    (entity, row, navigation) =>
      shaper.related(entity, row, navigation, scope);

  registerRecordPage(app, data);

  app.get(`${API}/`, async (request, reply) => {
    if (!(await authenticate(request, reply))) return reply;
    return {
      '@odata.context': `${options.orgUrl()}${API}/$metadata`,
      value: entities.map((entity) => ({
        name: entity.setName,
        kind: 'EntitySet',
        url: entity.setName,
      })),
    };
  });

  for (const path of [`${API}/WhoAmI`, `${API}/WhoAmI()`]) {
    app.get(path, async (request, reply) => {
      const user = await authenticate(request, reply);
      if (!user) return reply;
      return {
        '@odata.context': `${options.orgUrl()}${API}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
        BusinessUnitId: data.businessUnitId,
        UserId: user.systemuserid,
        OrganizationId: data.organizationId,
      };
    });
    app.post(path, async (request, reply) =>
      reply.code(404).send({
        error: {
          code: '',
          message: `No HTTP resource was found that matches the request URI '${options.orgUrl()}${request.url}'.`,
        },
      }),
    );
  }

  const search = async (request: FastifyRequest, reply: FastifyReply) => {
    const user = await authenticate(request, reply);
    if (!user) return reply;
    const knobs = faults.get('search');
    if (knobs.searchDisabled)
      throw new DataverseError(
        400,
        '0x80048d0b',
        'Dataverse Search feature is disabled for this organization.',
      );
    if (knobs.searchLimits) {
      const refusal = limiter.admit(String(user.systemuserid), knobs.searchOrgRequestsPerMinute);
      if (refusal) {
        options.counter.recordLimit(counted('search'), refusal.limit);
        // Learn documents the status and Retry-After of search's limits, not a body: this one is ours.
        return reply
          .code(429)
          .header('retry-after', String(refusal.retryAfterSec))
          .send({
            error: {
              code: '0x80072321',
              message:
                refusal.limit === 'per-user'
                  ? 'Request limit exceeded for Dataverse search: one request per second per user. Retry after the time in Retry-After.'
                  : `Request limit exceeded for Dataverse search: ${knobs.searchOrgRequestsPerMinute} requests per minute for the organization. Retry after the time in Retry-After.`,
            },
          });
      }
    }
    const scope = readScope(user);
    return runSearch(
      (request.body ?? {}) as Record<string, unknown>,
      scope.visible,
      shaper,
      options.orgUrl(),
      (table, columns, terms) =>
        searchIndex.candidates(table, columns, terms, (row) => scope.canRead(table, row)),
    );
  };
  app.post('/api/search/v2.0/query', search);
  app.post(`${API}/searchquery`, search);

  // Entity sets: /<set>, /<set>(<id>), /<set>/$count, and the filtered collection /<set>(<id>)/<collection-valued navigation>.
  app.get(`${API}/*`, async (request, reply) => {
    const user = await authenticate(request, reply);
    if (!user) return reply;
    const url = new URL(request.url, options.orgUrl());
    const path = decodeURIComponent(url.pathname.slice(API.length + 1));
    const match = /^([A-Za-z_]+)(?:\(([^)]*)\))?(?:\/([A-Za-z_]+))?(\/\$count)?$/.exec(path);
    let entity = match ? entityBySet(match[1] ?? '') : undefined;
    if (!match || !entity)
      throw new DataverseError(
        404,
        '0x80060888',
        `Resource not found for the segment '${path.split(/[(/]/)[0] ?? path}'.`,
      );
    const prefer = parsePrefer(request.headers.prefer);
    requireRead(user, entity);
    const scope = readScope(user);
    let rows = scope.visible(entity.logicalName);
    const manyToMany = match[3] !== undefined ? entity.manyToMany?.[match[3]] : undefined;
    if (manyToMany && match[2] !== undefined) {
      // A many-to-many navigation (`teams(<id>)/teammembership_association`): the related rows
      // through the intersect table.
      const parent = findRow(entity, match[2], rows);
      const related = entityByLogicalName(manyToMany.table) as EntityMetadata;
      requireRead(user, related);
      const parentKey = entity.primaryKey;
      const parentId = String(parent[parentKey]);
      const relatedIds = new Set(
        directory
          .rows(manyToMany.intersect as DirectoryTable)
          .filter((link) => link[parentKey] === parentId)
          .map((link) => String(link[related.primaryKey])),
      );
      rows = scope
        .visible(related.logicalName)
        .filter((row) => relatedIds.has(String(row[related.primaryKey])));
      entity = related;
    } else if (match[3] !== undefined) {
      // What a `<navigation>@odata.nextLink` of an expanded collection names.
      const child = entityByLogicalName(entity.collections?.[match[3]]?.table ?? '');
      if (match[2] === undefined || !child)
        throw new DataverseError(
          404,
          '0x80060888',
          `Resource not found for the segment '${match[3]}'.`,
        );
      rows = shaper.children(entity, findRow(entity, match[2], rows), match[3], scope);
      entity = child;
    } else if (match[2] !== undefined) {
      if (!GUID.test(match[2]))
        throw queryError(
          `Bad Request - Error in query syntax: the key '${match[2]}' is not a valid Edm.Guid.`,
        );
      return single(
        entity,
        match[2],
        rows,
        url.searchParams,
        prefer.annotations,
        request,
        reply,
        scope,
      );
    }
    const query = parseQueryOptions(url.searchParams, entity);
    const deltaToken = url.searchParams.get('$deltatoken');
    if (deltaToken !== null || prefer.trackChanges) {
      if (match[3] === undefined && tracking.tracks(entity.logicalName)) {
        if (match[4]) {
          if (deltaToken === null)
            throw queryError('$count with change tracking needs a $deltatoken.');
          return reply
            .type('text/plain')
            .send(String(tracking.count(entity.logicalName, deltaToken)));
        }
        const tracked = entity;
        const body = tracking.read({
          url,
          entity: tracked,
          select: query.select,
          pageSize: prefer.maxPageSize ?? MAX_PAGE,
          pageNumber: query.skipToken ?? 1,
          skipAfter: query.skipAfter,
          skipToken: url.searchParams.get('$skiptoken'),
          deltaToken,
          shape: (row) => shaper.shape(tracked, row, query.select, prefer.annotations),
          orgUrl: options.orgUrl(),
          contextSelect: contextSelectList(query.select, []),
        });
        preferenceApplied(reply, [
          ...(deltaToken === null ? ['odata.track-changes'] : []),
          ...(prefer.maxPageSize !== undefined ? [`odata.maxpagesize=${prefer.maxPageSize}`] : []),
        ]);
        return reply.type('application/json; odata.metadata=minimal').send(body);
      }
      // A table without change tracking ignores the preference (OData lets a service ignore one;
      // Preference-Applied then does not name it), but a delta token for it is an error.
      if (deltaToken !== null)
        throw queryError(`Change tracking is not enabled for the entity '${entity.logicalName}'.`);
    }
    const where = query.filter
      ? compileFilter(parseFilter(query.filter), entity, followIn(scope))
      : undefined;
    const expansions = shaper.expansions(entity, query.expand, scope, prefer.annotations);
    // With odata.maxpagesize, $top is ignored (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results).
    const pageSize = prefer.maxPageSize ?? Math.min(query.top ?? MAX_PAGE, MAX_PAGE);
    const pages = prefer.maxPageSize !== undefined || query.top === undefined;
    const pageNumber = query.skipToken ?? 1;
    let page: readonly Row[];
    let more: boolean;
    let total = 0;
    if (
      entity.keysetPaging &&
      match[3] === undefined &&
      !match[4] &&
      !query.count &&
      query.orderBy.length === 0
    ) {
      // Keyset paging: from just after the cookie's last id, the rows of one page and no more.
      if (query.skipToken !== undefined && query.skipAfter === undefined)
        throw queryError('The $skiptoken is not a valid paging cookie.');
      ({ page, more } = pageAfter(rows, entity.primaryKey, query.skipAfter, pageSize, where));
      more &&= pages;
    } else {
      let result = where ? rows.filter(where) : [...rows];
      if (match[4]) return reply.type('text/plain').send(String(Math.min(result.length, MAX_PAGE)));
      if (query.orderBy.length > 0) result.sort((a, b) => compareRows(a, b, query.orderBy));
      total = result.length;
      if (prefer.maxPageSize === undefined && query.top !== undefined)
        result = result.slice(0, query.top);
      page = result.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
      more = pages ? result.length > pageNumber * pageSize : false;
    }
    preferenceApplied(reply, [
      ...(prefer.maxPageSize !== undefined ? [`odata.maxpagesize=${prefer.maxPageSize}`] : []),
      ...(prefer.annotations ? [`odata.include-annotations="${prefer.annotations}"`] : []),
    ]);
    // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/count-rows: the count
    // stops at 5,000; the two annotations, when asked for, say so; without $count=true the total is -1.
    const body: Record<string, unknown> = {
      '@odata.context': `${options.orgUrl()}${API}/$metadata#${entity.setName}${contextSelectList(query.select, query.expand)}`,
      ...(query.count ? { '@odata.count': Math.min(total, MAX_PAGE) } : {}),
      ...(wantsAnnotation(prefer.annotations, TOTAL_COUNT)
        ? { [`@${TOTAL_COUNT}`]: query.count ? Math.min(total, MAX_PAGE) : -1 }
        : {}),
      ...(wantsAnnotation(prefer.annotations, TOTAL_COUNT_EXCEEDED)
        ? { [`@${TOTAL_COUNT_EXCEEDED}`]: query.count && total > MAX_PAGE }
        : {}),
      value: page.map((row) =>
        shaper.shape(entity, row, query.select, prefer.annotations, expansions),
      ),
    };
    if (more) body['@odata.nextLink'] = nextLink(url, entity, page, pageNumber);
    return reply.type('application/json; odata.metadata=minimal').send(body);
  });

  const findRow = (entity: EntityMetadata, key: string, rows: readonly Row[]): Row => {
    if (!GUID.test(key))
      throw queryError(
        `Bad Request - Error in query syntax: the key '${key}' is not a valid Edm.Guid.`,
      );
    const row = rows.find(
      (candidate) => String(candidate[entity.primaryKey]) === key.toLowerCase(),
    );
    if (!row)
      throw new DataverseError(
        404,
        '0x80040217',
        `Entity '${entity.logicalName}' With Id = ${key} Does Not Exist`,
      );
    return row;
  };

  const single = (
    entity: EntityMetadata,
    key: string,
    rows: readonly Row[],
    params: URLSearchParams,
    annotations: string | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
    scope: ReadScope,
  ) => {
    const query = parseQueryOptions(params, entity);
    const row = directoryTables.has(entity.logicalName)
      ? (directory.find(entity.logicalName as DirectoryTable, key) ?? findRow(entity, key, []))
      : findRow(entity, key, rows);
    const etag = `W/"${String(row.versionnumber)}"`;
    reply.header('etag', etag);
    preferenceApplied(reply, annotations ? [`odata.include-annotations="${annotations}"`] : []);
    // Conditional retrieval: unchanged since the client's ETag is 304 with no body, but never with
    // $expand or annotations (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api#conditional-retrievals).
    if (
      query.expand.length === 0 &&
      !annotations &&
      noneMatchHits(request.headers['if-none-match'], etag)
    )
      return reply.code(304).send();
    const expansions = shaper.expansions(entity, query.expand, scope, annotations);
    return reply.send({
      '@odata.context': `${options.orgUrl()}${API}/$metadata#${entity.setName}${contextSelectList(query.select, query.expand)}/$entity`,
      ...shaper.shape(entity, row, query.select, annotations, expansions),
    });
  };

  // Task updates: close, cancel or reopen with ETags; PATCH is an upsert unless If-Match is sent.
  app.patch(`${API}/*`, async (request, reply) => {
    const user = await authenticate(request, reply);
    if (!user) return reply;
    const path = decodeURIComponent(
      new URL(request.url, options.orgUrl()).pathname.slice(API.length + 1),
    );
    const target = /^([A-Za-z_]+)(?:\(([^)]*)\))?$/.exec(path);
    if (!target || !entityBySet(target[1] ?? ''))
      throw new DataverseError(
        404,
        '0x80060888',
        `Resource not found for the segment '${path.split(/[(/]/)[0] ?? path}'.`,
      );
    if (target[2] === undefined)
      return reply.code(405).send({
        error: {
          code: '0x80060888',
          message: "The requested resource does not support http method 'PATCH'.",
        },
      });
    if (target[1] !== 'tasks')
      throw new DataverseError(403, '0x80040220', 'The sandbox only lets clients update tasks.');
    const id = (target[2] ?? '').toLowerCase();
    if (!GUID.test(id))
      throw queryError(
        `Bad Request - Error in query syntax: the key '${target[2] ?? ''}' is not a valid Edm.Guid.`,
      );
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new DataverseError(400, '0x80040203', 'The request body must be a JSON object.');
    const entity = entityBySet('tasks') as EntityMetadata;
    for (const column of Object.keys(body))
      if (!entity.columns[column] || column === 'activityid' || column.startsWith('_'))
        throw new DataverseError(
          400,
          '0x0',
          `An error occurred while validating input parameters: Microsoft.Crm.CrmException: Invalid property '${column}' was found in entity 'Microsoft.Dynamics.CRM.task'.`,
        );
    const changes = body as Record<string, unknown>;
    const ifMatch = request.headers['if-match'];
    let row = shaper.find('task', id);
    if (row && row._ownerid_value !== user.systemuserid) {
      throw new DataverseError(
        403,
        '0x80040220',
        `Principal user (Id=${String(user.systemuserid)}, type=8) is missing prvWriteActivity privilege on entity 'task'. context.Caller=${String(user.systemuserid)}`,
      );
    }
    // Limited upserts: If-None-Match: * prevents the update, If-Match prevents the create, each with
    // the documented body (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api#limit-upsert-operations).
    if (row && request.headers['if-none-match'] === '*')
      throw new DataverseError(412, '', 'A record with matching key values already exists.');
    if (!row) {
      if (ifMatch) throw new DataverseError(404, '', `task With Id = ${id} Does Not Exist`);
      row = {
        activityid: id,
        subject: '',
        statecode: 0,
        statuscode: 2,
        prioritycode: 1,
        percentcomplete: 0,
        _ownerid_value: user.systemuserid,
        _regardingobjectid_value: null,
        scheduledend: null,
        description: null,
        createdon: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        versionnumber: 0,
      };
      data.tables.task.push(row);
      shaper.add('task', id, row);
    } else if (
      ifMatch &&
      ifMatch !== '*' &&
      ifMatch.replace(/^W\//, '') !== `"${String(row.versionnumber)}"`
    ) {
      throw new DataverseError(
        412,
        '',
        "The version of the existing record doesn't match the RowVersion property provided.",
      );
    }
    const nextState =
      typeof changes.statecode === 'number' ? changes.statecode : (row.statecode as number);
    const nextStatus =
      typeof changes.statuscode === 'number'
        ? changes.statuscode
        : changes.statecode !== undefined
          ? entity.statusByState?.[nextState]?.[0]
          : (row.statuscode as number);
    const otherEdits = Object.keys(changes).some(
      (column) => column !== 'statecode' && column !== 'statuscode',
    );
    if (row.statecode !== 0 && otherEdits)
      throw new DataverseError(
        400,
        '0x80043b1d',
        'This task is completed or canceled and cannot be edited. Reopen it first.',
      );
    if (!entity.statusByState?.[nextState]?.includes(nextStatus as number)) {
      throw new DataverseError(
        400,
        '0x80048408',
        `${String(nextStatus)} is not a valid status code for state code TaskState.${entity.labels?.statecode?.[nextState] ?? nextState}.`,
      );
    }
    Object.assign(row, changes, {
      statecode: nextState,
      statuscode: nextStatus,
      modifiedon: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      versionnumber: Number(row.versionnumber) + 1,
    });
    if (nextState === 1) row.percentcomplete = 100;
    reply
      .header('etag', `W/"${String(row.versionnumber)}"`)
      .header('odata-entityid', `${options.orgUrl()}${API}/tasks(${id})`);
    if (parsePrefer(request.headers.prefer).returnRepresentation) {
      return preferenceApplied(reply, ['return=representation']).send({
        '@odata.context': `${options.orgUrl()}${API}/$metadata#tasks/$entity`,
        ...shaper.shape(entity, row, undefined, undefined),
      });
    }
    return reply.code(204).send();
  });

  app.delete(`${API}/*`, async (_request, reply) =>
    reply.code(405).send({
      error: {
        code: '0x80060888',
        message: "The requested resource does not support http method 'DELETE'.",
      },
    }),
  );

  return { app, directory, tracking, webhooks };
}

/** The tables of the directory: readable by every user, and by application users with the role. */
const directoryTables = new Set<string>(['systemuser', 'team', 'teammembership']);

/** Dataverse's read privilege of a table (`prvRead<schema>`; activities share prvReadActivity, systemusers are prvReadUser). */
function readPrivilege(entity: EntityMetadata): string {
  const schema: Record<string, string> = {
    systemuser: 'User',
    task: 'Activity',
    teammembership: 'Team',
  };
  const name =
    schema[entity.logicalName] ??
    `${entity.logicalName.charAt(0).toUpperCase()}${entity.logicalName.slice(1)}`;
  return `prvRead${name}`;
}
