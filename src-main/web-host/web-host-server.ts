import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { isMethodChannel } from '../../src-shared/channels';
import { workstationError, type ErrorCode } from '../../src-shared/errors';
import type { Dispatch } from '../ipc/dispatcher';
import type { EventHub } from '../ipc/event-hub';
import { createBearerSecret, matchesBearer } from './bearer-secret';
import { createConnectionGuard } from './connection-guard';
import { RENDERER_CSP } from './content-security-policy';
import { openEventStream } from './event-stream';
import { refusalBody, refusalFor, type Refusal } from './http-refusals';

/** What the web host needs: the same dispatcher and events as the Electron binding. */
export interface WebHostOptions {
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  /** The Vite build of the renderer (`dist/renderer`). */
  readonly rendererDir: string;
  readonly logger: Logger;
  readonly port?: number;
  /** Defaults to a fresh random secret per launch. */
  readonly secret?: string;
}

/** A running web host. */
export interface WebHost {
  readonly origin: string;
  /** The URL to open: the secret travels in the fragment, which browsers never send to a server. */
  readonly url: string;
  readonly secret: string;
  stop(): Promise<void>;
}

const invokeBodySchema = z.object({ input: z.unknown().optional() }).strict();
const clientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
const HOST = '127.0.0.1';

/**
 * Serves the built renderer and the contract on 127.0.0.1 for `npm run web` and the e2e suite:
 * `POST /api/invoke/<channel>` (JSON) for calls and `GET /api/events` (server-sent events) for
 * events, both behind the per-launch bearer secret. Host and Origin are checked so a web page
 * cannot reach the API through DNS rebinding or a cross-site request.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    throw workstationError(
      'unavailable',
      `The renderer is not built (no index.html in ${options.rendererDir}); run "npm run build:renderer".`,
    );
  }
  const secret = options.secret ?? createBearerSecret();
  const refuseWith = (reply: FastifyReply, refusal: Refusal) =>
    reply
      .code(refusal.status)
      .headers({
        ...refusal.headers,
        'cache-control': 'no-store',
        'content-type': 'application/json; charset=utf-8',
      })
      .send(refusalBody(refusal));
  const refuse = (reply: FastifyReply, status: number, code: ErrorCode, message: string) =>
    refuseWith(reply, { status, code, message });

  const guard = createConnectionGuard();
  const app = Fastify({
    // Per-request lines would only be noise for a one-user local host; warnings and errors still log.
    loggerInstance: options.logger.child({ component: 'web-host' }, { level: 'warn' }),
    bodyLimit: 64 * 1024,
    forceCloseConnections: true,
    // The router answers a malformed %-encoding or an over-long parameter before any route or
    // hook runs, with an untyped body unless this handler is given
    // (https://fastify.dev/docs/latest/Reference/Server/#frameworkerrors).
    frameworkErrors: (error, _request, reply) =>
      refuseWith(
        reply,
        refusalFor(error) ?? {
          status: 400,
          code: 'invalid_input',
          message: 'The request is not valid.',
        },
      ),
    // Bytes that never became a request (unknown method, broken framing, oversized headers)
    // (https://fastify.dev/docs/latest/Reference/Server/#clienterrorhandler).
    clientErrorHandler: (error, socket) => guard.onClientError(error, socket),
  });
  guard.attach(app.server);
  let origin = '';
  let allowedHosts: ReadonlySet<string> = new Set();

  app.addHook('onRequest', async (request, reply) => {
    if (!allowedHosts.has(request.headers.host ?? '')) {
      return refuse(reply, 421, 'forbidden', 'This address does not serve Workstation.');
    }
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', RENDERER_CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    return payload;
  });

  // Declared before the routes: Fastify binds a route to the error handler in force when it is added.
  // Client mistakes (a bad body, an unsatisfiable Range, a failed If-Match from @fastify/static)
  // keep their 4xx status with a typed body; only what remains is logged as the host's own error.
  app.setErrorHandler((error, _request, reply) => {
    const refusal = refusalFor(error);
    if (refusal) return refuseWith(reply, refusal);
    options.logger.error({ err: error }, 'web host error');
    return refuse(reply, 500, 'internal', 'Workstation hit an internal error.');
  });
  app.setNotFoundHandler(async (_request, reply) =>
    refuse(reply, 404, 'not_found', 'Nothing is served at this address.'),
  );

  const authorize = (request: FastifyRequest, reply: FastifyReply): string | undefined => {
    const requestOrigin = request.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== origin) {
      void refuse(reply, 403, 'forbidden', 'Requests from other sites are refused.');
      return undefined;
    }
    if (!matchesBearer(request.headers.authorization, secret)) {
      void refuse(
        reply,
        401,
        'unauthorized',
        'This page is not authorized: open the address Workstation printed when it started.',
      );
      return undefined;
    }
    const client = clientIdSchema.safeParse(request.headers['x-workstation-client']);
    return client.success ? client.data : 'web';
  };

  app.post<{ Params: { channel: string } }>('/api/invoke/:channel', async (request, reply) => {
    const senderId = authorize(request, reply);
    if (senderId === undefined) return reply;
    if (!isMethodChannel(request.params.channel)) {
      return refuse(reply, 404, 'unknown_method', 'Workstation does not know that request.');
    }
    const body = invokeBodySchema.safeParse(request.body ?? {});
    if (!body.success)
      return refuse(reply, 400, 'invalid_input', 'The request body must be {"input": ...}.');
    const result = await options.dispatch(request.params.channel, body.data.input, { senderId });
    return reply.header('cache-control', 'no-store').send(result);
  });

  app.get('/api/events', async (request, reply) => {
    if (authorize(request, reply) === undefined) return reply;
    openEventStream(request, reply, options.events);
    return reply;
  });

  // Anything else under /api is a typed 404, not the SPA's index.html.
  app.all('/api/*', async (_request, reply) =>
    refuse(reply, 404, 'not_found', 'No such API route.'),
  );

  await app.register(fastifyStatic, {
    root: options.rendererDir,
    index: ['index.html'],
    wildcard: false,
    cacheControl: false,
  });
  await app.listen({ host: HOST, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  origin = `http://${HOST}:${port}`;
  allowedHosts = new Set([`${HOST}:${port}`, `localhost:${port}`]);
  return {
    origin,
    url: `${origin}/#k=${secret}`,
    secret,
    stop: async () => {
      await app.close();
    },
  };
}
