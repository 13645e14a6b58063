import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { LocalTls } from '../../src-dev-tls/local-ca';
import type { FaultController, ServiceName } from '../faults/fault-controller';
import type { RequestCounter } from '../faults/request-counter';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's object id once a stand-in has authenticated it (for per-user counts). */
    sandboxUser: string | undefined;
  }
}

/** How a stand-in words its own throttling and outage answers. */
export interface FaultResponses {
  throttled(reply: FastifyReply, retryAfterSec: number): FastifyReply;
  unavailable(reply: FastifyReply): FastifyReply;
}

/**
 * One HTTPS Fastify app per stand-in, with the shared behaviour: every request counted (service,
 * user, path, status), injected latency, 503s and 429s as the service itself would word them.
 */
export function createServiceApp(
  service: ServiceName,
  tls: LocalTls,
  faults: FaultController,
  counter: RequestCounter,
  responses: FaultResponses,
  // Dataverse serves its search API on the same origin but under its own knobs and counts.
  serviceOf: (url: string) => ServiceName = () => service,
  // A second instance of a service (a second Dataverse org) shares its knobs but counts apart.
  countedAs: (service: ServiceName) => ServiceName | `${ServiceName}:${string}` = (name) => name,
): FastifyInstance {
  const app = Fastify({
    https: { cert: tls.serverCert, key: tls.serverKey },
    logger: false,
    forceCloseConnections: true,
    bodyLimit: 1024 * 1024,
  }) as unknown as FastifyInstance;
  app.decorateRequest('sandboxUser', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const target = serviceOf(request.url);
    const delay = faults.delayMs(target);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const knobs = faults.get(target);
    if (knobs.throttleRetryAfterSec > 0)
      return responses.throttled(reply, knobs.throttleRetryAfterSec);
    if (faults.shouldFail(target)) return responses.unavailable(reply);
  });
  // Counted before the answer leaves (onSend): counting in onResponse races the client, which
  // may read the counters as soon as it has the answer.
  app.addHook('onSend', async (request, reply, payload) => {
    counter.record(
      countedAs(serviceOf(request.url)),
      request.sandboxUser,
      request.url.split('?')[0] ?? '',
      reply.statusCode,
    );
    return payload;
  });
  return app;
}
