import type { FastifyInstance, FastifyReply } from 'fastify';
import type { LocalTls } from '../../src-dev-tls/local-ca';
import type { SampleSize } from '../data/sample-data';
import type { SigningKeys } from '../entra/signing-keys';
import type { FaultController, ServiceName } from '../faults/fault-controller';
import type { RequestCounter } from '../faults/request-counter';
import { createServiceApp } from '../http/service-app';
import { registerOAuthRoutes, type OAuthEnvironment } from './oauth-routes';
import { registerRestRoutes } from './rest-routes';
import { SalesforceError, sendOAuthError } from './salesforce-error';
import {
  salesforceEnvironments,
  type SalesforceEnvironment,
  type SalesforceOrg,
} from './salesforce-org';
import { generateSalesforceOrg } from './salesforce-sample-data';
import { SalesforceState } from './salesforce-state';

/** What the Salesforce stand-in needs. */
export interface SalesforceOptions {
  readonly tls: LocalTls;
  readonly keys: SigningKeys;
  readonly faults: FaultController;
  readonly counter: RequestCounter;
  readonly size: SampleSize;
  readonly seed: number;
}

/** One environment: its login host (login.salesforce.com or test.salesforce.com) and its org's instance. */
export interface SalesforceEnvironmentApps {
  readonly environment: SalesforceEnvironment;
  readonly org: SalesforceOrg;
  readonly state: SalesforceState;
  readonly loginApp: FastifyInstance;
  readonly instanceApp: FastifyInstance;
  setOrigins(login: string, instance: string): void;
}

const isOAuthPath = (url: string) =>
  url.startsWith('/services/oauth2/') || url.startsWith('/id/') || url.startsWith('/.well-known/');
const serviceOf = (url: string): ServiceName =>
  isOAuthPath(url) ? 'salesforce-oauth' : 'salesforce';

/**
 * The shared behaviour of every Salesforce host: fault knobs and counts per service, the knobs
 * that expire sessions or revoke refresh tokens applied before each request, form bodies, and
 * errors in the shape of the path's API (JSON arrays for REST, OAuth errors for OAuth).
 */
function createHostApp(options: SalesforceOptions, state: SalesforceState): FastifyInstance {
  const app = createServiceApp(
    'salesforce',
    options.tls,
    options.faults,
    options.counter,
    {
      // Over the daily allocation the REST API answers 403 REQUEST_LIMIT_EXCEEDED, with no Retry-After
      // ("Status Codes and Error Responses", https://developer.salesforce.com/docs/platform/api-rest/guide/errorcodes.html).
      // Salesforce documents no throttling answer for its OAuth endpoints; the stand-in uses RFC 6749's temporarily_unavailable.
      throttled: (reply, retryAfter) =>
        isOAuthPath(reply.request.url)
          ? sendOAuthError(
              reply.header('retry-after', String(retryAfter)),
              429,
              'temporarily_unavailable',
              'Too many requests. Retry after the time in Retry-After.',
            )
          : sendRestError(
              reply,
              new SalesforceError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
            ),
      unavailable: (reply) =>
        isOAuthPath(reply.request.url)
          ? sendOAuthError(
              reply,
              503,
              'temporarily_unavailable',
              'The service is temporarily unavailable.',
            )
          : sendRestError(
              reply,
              new SalesforceError(
                503,
                'SERVER_UNAVAILABLE',
                'Server temporarily unavailable. Try again later.',
              ),
            ),
    },
    serviceOf,
  );
  app.addHook('onRequest', async () => state.observe(options.faults.get('salesforce')));
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof SalesforceError) return sendRestError(reply, error);
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (isOAuthPath(request.url))
      return sendOAuthError(
        reply,
        status >= 500 ? 500 : 400,
        status >= 500 ? 'server_error' : 'invalid_request',
        status >= 500 ? 'unexpected error' : 'malformed request',
      );
    if (status === 415)
      return sendRestError(
        reply,
        new SalesforceError(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          `Content type '${String(request.headers['content-type'] ?? '')}' is not supported. Use application/json.`,
        ),
      );
    if (status < 500)
      return sendRestError(
        reply,
        new SalesforceError(
          400,
          'JSON_PARSER_ERROR',
          `The request body could not be parsed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    return sendRestError(
      reply,
      new SalesforceError(
        500,
        'UNKNOWN_EXCEPTION',
        'An unexpected error occurred. Please include this ErrorId if you contact support: 0-0 (sandbox)',
      ),
    );
  });
  app.setNotFoundHandler((request, reply) =>
    request.url.startsWith('/services/data')
      ? sendRestError(
          reply,
          new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist'),
        )
      : reply
          .code(404)
          .type('text/html; charset=utf-8')
          .send('<!doctype html><title>Not found</title><p>URL No Longer Exists</p>'),
  );
  return app;
}

function sendRestError(reply: FastifyReply, error: SalesforceError): FastifyReply {
  return reply.code(error.status).type('application/json;charset=UTF-8').send(error.body());
}

/**
 * The Salesforce stand-in: for each environment (production and sandbox), a login host serving
 * OAuth and the identity service, and the org's instance serving the REST API (and OAuth, as a
 * My Domain does). Each environment has its own org, users, data and tokens.
 */
export function createSalesforceApps(
  options: SalesforceOptions,
): Record<SalesforceEnvironment, SalesforceEnvironmentApps> {
  const build = (environment: SalesforceEnvironment): SalesforceEnvironmentApps => {
    const org = generateSalesforceOrg(environment, options.size, options.seed);
    const state = new SalesforceState(org);
    let login = '';
    let instance = '';
    const env: OAuthEnvironment = {
      org,
      state,
      faults: options.faults,
      keys: options.keys,
      loginOrigin: () => login,
      instanceOrigin: () => instance,
    };
    const loginApp = createHostApp(options, state);
    registerOAuthRoutes(loginApp, env);
    const instanceApp = createHostApp(options, state);
    registerOAuthRoutes(instanceApp, env);
    registerRestRoutes(instanceApp, env);
    return {
      environment,
      org,
      state,
      loginApp,
      instanceApp,
      setOrigins(loginOrigin, instanceOrigin) {
        login = loginOrigin;
        instance = instanceOrigin;
      },
    };
  };
  const [production, sandbox] = salesforceEnvironments.map(build) as [
    SalesforceEnvironmentApps,
    SalesforceEnvironmentApps,
  ];
  return { production, sandbox };
}
