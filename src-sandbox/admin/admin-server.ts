import Fastify from 'fastify';
import { z } from 'zod';
import type { LocalTls } from '../../src-dev-tls/local-ca';
import { faultKnobsSchema, serviceNames, type FaultController } from '../faults/fault-controller';
import type { RequestCounter } from '../faults/request-counter';
import { registerDirectoryRoutes, type DirectoryAdmin } from './directory-routes';

/**
 * The sandbox's control panel on 127.0.0.1 only: fault knobs per service and request counters.
 *   GET  /faults                 all knobs
 *   POST /faults/<service>       merge knobs, e.g. {"latencyMs": 80, "jitterMs": 20}
 *                                (services: entra, dataverse, search, graph, salesforce, salesforce-oauth)
 *   POST /faults/reset
 *   POST /dataverse/search-enabled {"enabled": false}
 *   GET  /counters   POST /counters/reset
 *                                (the second Dataverse org, sharing the dataverse and search knobs,
 *                                counts as dataverse:fabrikam and search:fabrikam)
 *   GET  /entra/authorize-claims  the `claims` of recent sign-in requests, oldest first
 *   /directory/...               directory sync's knobs (directory-routes.ts)
 */
export async function startAdminApp(options: {
  tls: LocalTls;
  faults: FaultController;
  counter: RequestCounter;
  authorizeClaims?: () => readonly string[];
  directory?: DirectoryAdmin;
  port?: number;
}): Promise<{ url: string; stop(): Promise<void> }> {
  const app = Fastify({
    https: { cert: options.tls.serverCert, key: options.tls.serverKey },
    logger: false,
    forceCloseConnections: true,
  });
  const invalid = (message: string) => ({ error: { code: 'invalid_input', message } });

  app.get('/faults', async () =>
    Object.fromEntries(serviceNames.map((service) => [service, options.faults.get(service)])),
  );
  app.post('/faults/reset', async () => {
    options.faults.reset();
    return { reset: true };
  });
  app.post<{ Params: { service: string } }>('/faults/:service', async (request, reply) => {
    const service = z.enum(serviceNames).safeParse(request.params.service);
    const knobs = faultKnobsSchema.partial().safeParse(request.body);
    if (!service.success)
      return reply
        .code(404)
        .send(invalid(`Unknown service; use one of ${serviceNames.join(', ')}.`));
    if (!knobs.success)
      return reply
        .code(400)
        .send(
          invalid(
            knobs.error.issues
              .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
              .join('; '),
          ),
        );
    return options.faults.set(service.data, knobs.data);
  });
  app.post('/dataverse/search-enabled', async (request, reply) => {
    const body = z.object({ enabled: z.boolean() }).safeParse(request.body);
    if (!body.success) return reply.code(400).send(invalid('Send {"enabled": true|false}.'));
    return {
      enabled: !options.faults.set('search', { searchDisabled: !body.data.enabled }).searchDisabled,
    };
  });
  app.get('/counters', async () => options.counter.snapshot());
  app.get('/entra/authorize-claims', async () => ({ claims: options.authorizeClaims?.() ?? [] }));
  app.post('/counters/reset', async () => {
    options.counter.reset();
    return { reset: true };
  });
  if (options.directory) registerDirectoryRoutes(app, options.directory);
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  return {
    url: `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    stop: async () => void (await app.close()),
  };
}
