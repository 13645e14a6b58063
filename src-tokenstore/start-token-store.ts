import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { TargetPolicy } from '../src-shared/integrations/integration-info';
import { redactSecrets } from '../src-shared/redaction';
import { AdminActions } from './admin/admin-actions';
import { isConsoleUrl, registerAdminConsole } from './admin-console/admin-console';
import { directorySource, startSyncWith, type StartSync } from './admin-console/directory-source';
import { ConsoleSessions, type SessionLimits } from './admin-console/console-sessions';
import { EntraSignIn } from './admin-console/entra-sign-in';
import { AuthFailureLimiter } from './auth/auth-failure-limiter';
import { createUpstreamSend, type UpstreamSend } from './auth/https-fetch';
import { JwtVerifier, TokenRejected, type TokenStoreAuthConfig } from './auth/jwt-verifier';
import { AuditWriter, type AuditSink } from './db/audit-writer';
import { DatabaseUnavailable } from './db/database-unavailable';
import { migrate } from './db/migrations';
import { PostgresDriver } from './db/postgres-driver';
import type { SqlDriver } from './db/sql-driver';
import { SqliteBackgroundWriter } from './db/sqlite-background-writer';
import { SqliteDriver } from './db/sqlite-driver';
import { TokenStoreRepository } from './db/token-store-repository';
import { ClientCredentials } from './directory/client-credentials';
import type { ReaderLimits } from './directory/dataverse-reader';
import { DirectoryRepository } from './directory/directory-repository';
import { DirectorySyncEngine } from './directory/directory-sync-engine';
import { DirectorySyncService } from './directory/directory-sync-service';
import { LeaseRowLock, PostgresAdvisoryLock } from './directory/run-lock';
import { SecretReader } from './directory/secret-reader';
import { SyncRunRepository } from './directory/sync-run-repository';
import { registerHealthRoute } from './http/health-route';
import { addSecurityHeaders } from './http/security-headers';
import { sendError } from './http/store-error';
import { registerAdminRoutes } from './routes/admin-routes';
import { registerBlobRoutes } from './routes/blob-routes';
import { registerDirectoryRoutes } from './routes/directory-routes';
import {
  DIRECTORY_WEBHOOK_PREFIX,
  registerDirectoryWebhookRoute,
} from './routes/directory-webhook-route';
import { registerMeRoutes } from './routes/me-routes';

export type { TokenStoreAuthConfig } from './auth/jwt-verifier';

/** Everything the token store is configured with. */
export interface TokenStoreOptions {
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly tls: { readonly cert: string; readonly key: string };
  /** `postgres://…` selects PostgreSQL; otherwise SQLite at `sqlitePath`. */
  readonly databaseUrl?: string;
  /** PostgreSQL schema to use (tests isolate runs this way). */
  readonly databaseSchema?: string;
  /** PostgreSQL connections this instance opens at most (default 10, pg's). */
  readonly databasePoolSize?: number;
  readonly sqlitePath?: string;
  readonly auth: TokenStoreAuthConfig;
  readonly limits?: {
    readonly requestsPerMinute?: number;
    readonly bodyBytes?: number;
    /** Failed authentications per client address per minute; beyond it 429 until the minute is over (default 20). */
    readonly authFailuresPerMinute?: number;
  };
  /**
   * Addresses or CIDRs of the reverse proxies in front of the store (or `loopback`, `linklocal`,
   * `uniquelocal`): X-Forwarded-For from them names the client, which the failed-authentication
   * limit counts (https://fastify.dev/docs/latest/Reference/Server/#trustproxy). Unset (default):
   * the socket peer is the client and X-Forwarded-For is ignored, so a client cannot pose as others.
   */
  readonly trustProxy?: readonly string[];
  readonly logger?: Logger | false;
  /**
   * Exact https origins admins may name in any integration's settings besides the vendor's hosts
   * (a Dynamics org, a Salesforce login host): the sandbox's in the demo.
   */
  readonly extraOrigins?: readonly string[];
  /** The admin console at /admin; absent, the store serves no console. */
  readonly adminConsole?: AdminConsoleOptions;
  readonly now?: () => number;
  /** Directory sync from Dynamics 365 (src-tokenstore/directory/); its settings are per tenant, in the database. */
  readonly directory?: DirectorySyncOptions;
}

/** Where directory sync finds what its settings name, and how it reaches Entra ID and Dataverse. */
export interface DirectorySyncOptions {
  /** The folder file references name files in (`TOKENSTORE_DIRECTORY_SECRETS_DIR`). */
  readonly secretsDir?: string;
  /** The environment env references are read from (default: the process's). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** PEM of an extra CA to trust for Entra ID and Dataverse (the local CA in development and tests). */
  readonly extraCa?: string;
  /** How often each instance looks for due runs and queued requests; 0 = never (tests tick by hand). */
  readonly tickMs?: number;
  /** This instance's name in run records (default: a random one). */
  readonly holder?: string;
  readonly limits?: ReaderLimits;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Replaces the HTTPS client (a test counts or delays requests). */
  readonly send?: UpstreamSend;
}

/** The directory sync parts of a built app, for tests and the bench. */
export interface DirectoryServices {
  readonly repository: DirectoryRepository;
  readonly runs: SyncRunRepository;
  readonly sync: DirectorySyncService;
}

const directoryServices = new WeakMap<FastifyInstance, DirectoryServices>();

/** The directory sync services of an app `buildTokenStoreApp` built. */
export function directoryServicesOf(app: FastifyInstance): DirectoryServices {
  const services = directoryServices.get(app);
  if (!services) throw new Error('not a token store app');
  return services;
}

/** The admin console's app registration and what its pages read. */
export interface AdminConsoleOptions {
  /** The console's app registration (a public client; redirect URI `<origin>/admin/auth/callback`). */
  readonly clientId: string;
  /** `https://login.microsoftonline.com/<tenant id>` (the sandbox's authority in the demo). */
  readonly authority: string;
  /** The store's delegated scope, `api://<store app id>/access_as_user`. */
  readonly scope: string;
  /** The store's public origin as browsers reach it; default: the address it listens on. */
  readonly origin?: string;
  /** PEM of an extra CA to trust for the token endpoint (the local CA in the demo). */
  readonly ca?: string;
  /** Replaces how "Sync now" starts a run (tests); absent, it is the store's directory sync service. */
  readonly startSync?: StartSync;
  readonly sessionLimits?: SessionLimits;
}

/** A running store. */
export interface RunningTokenStore {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly db: SqlDriver;
  stop(): Promise<void>;
}

/** Opens the configured database and applies pending migrations. */
export async function openDatabase(
  options: Pick<
    TokenStoreOptions,
    'databaseUrl' | 'databaseSchema' | 'databasePoolSize' | 'sqlitePath'
  >,
): Promise<SqlDriver> {
  const db = options.databaseUrl?.startsWith('postgres')
    ? new PostgresDriver(options.databaseUrl, {
        schema: options.databaseSchema,
        max: options.databasePoolSize,
      })
    : new SqliteDriver(options.sqlitePath ?? 'tokenstore.sqlite');
  await migrate(db);
  return db;
}

/**
 * Builds the store's Fastify app (HTTPS, JSON only, JWT on every route but /healthz, rate limited
 * per user) over an open database. Exposed apart from `startTokenStore` so tests can `inject`.
 */
export async function buildTokenStoreApp(
  options: TokenStoreOptions,
  db: SqlDriver,
  origin: () => string = () => options.adminConsole?.origin ?? '',
): Promise<FastifyInstance> {
  const now = options.now ?? Date.now;
  const verifier = new JwtVerifier(options.auth, { now });
  const targetPolicy: TargetPolicy = { extraOrigins: options.extraOrigins ?? [] };
  const app = Fastify({
    https: { cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' },
    bodyLimit: options.limits?.bodyBytes ?? 256 * 1024,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    forceCloseConnections: true,
    ...(options.trustProxy?.length ? { trustProxy: [...options.trustProxy] } : {}),
    return503OnClosing: true,
    // The HTTPS server type only narrows the raw server; routes are written against the common type.
  }) as unknown as FastifyInstance;
  app.decorateRequest('principal', undefined);
  addSecurityHeaders(app);

  app.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof DatabaseUnavailable) {
      // Retrying is safe: blob writes are conditional (If-Match / If-None-Match), admin changes idempotent.
      request.log.warn({ reason: error.message }, 'database unavailable');
      reply.header('retry-after', String(error.retryAfterSec));
      return sendError(
        reply,
        503,
        'unavailable',
        'The token store cannot reach its database right now; retry shortly.',
      );
    }
    const status = error.statusCode ?? 500;
    if (status === 413) return sendError(reply, 413, 'too_large', 'The request body is too large.');
    if (status === 415)
      return sendError(reply, 415, 'invalid_input', 'Only application/json is accepted.');
    if (status === 429)
      return sendError(
        reply,
        429,
        'throttled',
        'Too many requests; retry after the time in Retry-After.',
      );
    if (status >= 400 && status < 500)
      return sendError(
        reply,
        status,
        'invalid_input',
        'The request is not valid JSON for this route.',
      );
    request.log.error({ err: redactSecrets(error) }, 'token store error');
    return sendError(reply, 500, 'internal', 'The token store hit an internal error.');
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, 404, 'not_found', 'No such route.'));

  // The per-user limit below runs after authentication, so failed authentications get their own
  // limit per client address, checked before a token is even looked at.
  const authFailures = new AuthFailureLimiter({
    maxFailures: options.limits?.authFailuresPerMinute ?? 20,
    windowMs: 60_000,
    now,
  });
  const refuse = (
    request: FastifyRequest,
    reply: FastifyReply,
    challenge: string,
    message: string,
  ) => {
    if (authFailures.recordFailure(request.ip))
      request.log.warn({ ip: request.ip }, 'client address over its failed-authentication limit');
    reply.header('www-authenticate', challenge);
    return sendError(reply, 401, 'unauthorized', message);
  };

  // Authentication runs before everything else on every route but /healthz.
  // The console's pages sign in with their own session cookie (see registerAdminConsole).
  const consoleUrl = (url: string) => Boolean(options.adminConsole) && isConsoleUrl(url);
  app.addHook('onRequest', async (request, reply) => {
    // The webhook authenticates with its own key (directory-webhook-route.ts), not a user's token;
    // the console's pages with their session cookie (registerAdminConsole).
    if (
      request.url === '/healthz' ||
      request.url.startsWith(DIRECTORY_WEBHOOK_PREFIX) ||
      consoleUrl(request.url)
    )
      return;
    const retryAfter = authFailures.retryAfterSec(request.ip);
    if (retryAfter > 0) {
      // Retry-After in delay-seconds: https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
      reply.header('retry-after', String(retryAfter));
      return sendError(
        reply,
        429,
        'throttled',
        `Too many failed sign-ins from this address; retry in ${retryAfter} s.`,
      );
    }
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token)
      return refuse(
        request,
        reply,
        'Bearer',
        'Sign in again: this request carried no access token.',
      );
    try {
      request.principal = await verifier.verify(token);
    } catch (error) {
      const reason = error instanceof TokenRejected ? error.reason : 'invalid';
      request.log.info({ reason }, 'token rejected');
      return refuse(
        request,
        reply,
        'Bearer error="invalid_token"',
        'Sign in again: the access token was not accepted.',
      );
    }
  });

  await app.register(rateLimit, {
    hook: 'preHandler',
    max: options.limits?.requestsPerMinute ?? 600,
    timeWindow: 60_000,
    keyGenerator: (request) =>
      request.principal
        ? `${request.principal.tid}:${request.principal.oid}`
        : `anonymous:${request.ip}`,
    allowList: (request) => request.url === '/healthz',
    errorResponseBuilder: (request, context) => ({
      statusCode: 429,
      error: {
        code: 'throttled',
        message: `Too many requests; retry in ${Math.ceil(context.ttl / 1000)} s.`,
        requestId: request.id,
      },
    }),
  });

  registerHealthRoute(app, db);
  const repository = new TokenStoreRepository(db);
  // On SQLite audit batches commit on a connection of their own, off the event loop (see
  // SqliteBackgroundWriter); PostgreSQL's driver is asynchronous already.
  const background = db instanceof SqliteDriver ? new SqliteBackgroundWriter(db.path) : undefined;
  const sink: AuditSink = background
    ? {
        auditMany: async (entries) => {
          const { sql, rows } = repository.auditRows(entries);
          await background.write(sql, rows);
        },
      }
    : repository;
  const audit = new AuditWriter(sink, (error) =>
    app.log.error({ err: redactSecrets(error) }, 'audit write failed'),
  );
  app.addHook('onClose', async () => {
    await audit.flush();
    await background?.close();
  });
  const admin = new AdminActions(repository, audit, targetPolicy, now);
  const context = { repository, audit, admin, targetPolicy, now };
  registerBlobRoutes(app, context);
  registerMeRoutes(app, context);
  registerAdminRoutes(app, context);

  const directoryOptions = options.directory ?? {};
  const holder = directoryOptions.holder ?? randomUUID();
  const directory = new DirectoryRepository(db, targetPolicy.extraOrigins);
  const runs = new SyncRunRepository(db);
  const secrets = new SecretReader({
    env: directoryOptions.env ?? process.env,
    secretsDir: directoryOptions.secretsDir,
  });
  const sync = new DirectorySyncService({
    directory,
    runs,
    engine: new DirectorySyncEngine({
      directory,
      runs,
      tokens: new ClientCredentials({ secrets, now }),
      sleep: directoryOptions.sleep ?? ((ms) => sleep(ms)),
      now,
      limits: directoryOptions.limits,
    }),
    lock:
      db instanceof PostgresDriver
        ? new PostgresAdvisoryLock(db)
        : new LeaseRowLock(runs, holder, now),
    send: directoryOptions.send ?? createUpstreamSend(directoryOptions.extraCa),
    now,
    holder,
    onError: (error, tid) =>
      app.log.error({ err: redactSecrets(error), tid }, 'directory sync error'),
  });
  directoryServices.set(app, { repository: directory, runs, sync });
  registerDirectoryRoutes(app, context, {
    directory,
    runs,
    sync,
    extraOrigins: targetPolicy.extraOrigins,
  });
  registerDirectoryWebhookRoute(app, {
    directory,
    sync,
    secrets,
    onAuthFailure: (request) => {
      if (authFailures.recordFailure(request.ip))
        request.log.warn({ ip: request.ip }, 'client address over its failed-authentication limit');
    },
  });
  if (directoryOptions.tickMs !== 0) sync.start(directoryOptions.tickMs ?? 30_000);
  // A run under way finishes (and records itself) before the database closes.
  app.addHook('onClose', () => sync.stop());
  if (options.adminConsole) {
    const consoleOptions = options.adminConsole;
    const signIn = new EntraSignIn({
      clientId: consoleOptions.clientId,
      authority: consoleOptions.authority,
      scope: consoleOptions.scope,
      ca: consoleOptions.ca,
    });
    app.addHook('onClose', async () => signIn.close());
    await registerAdminConsole(app, {
      signIn,
      // The store's own checks, but for the console's app: its tokens name it as azp.
      verifier: new JwtVerifier(
        { ...options.auth, allowedClients: [consoleOptions.clientId] },
        { now },
      ),
      sessions: new ConsoleSessions(db, now, consoleOptions.sessionLimits),
      actions: admin,
      repository,
      audit,
      // The directory sync's own repositories and service: the console's Sync now is the API's.
      directory: directorySource({
        directory,
        runs,
        startSync: consoleOptions.startSync ?? startSyncWith(sync),
        extraOrigins: targetPolicy.extraOrigins,
        now,
      }),
      targetPolicy,
      origin: () => consoleOptions.origin ?? origin(),
      now,
    });
  }
  return app;
}

/** Starts the store over HTTPS and answers its URL. */
export async function startTokenStore(options: TokenStoreOptions): Promise<RunningTokenStore> {
  const db = await openDatabase(options);
  let url = '';
  const app = await buildTokenStoreApp(options, db, () => url);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  url = `https://${host === '127.0.0.1' ? 'localhost' : host}:${port}`;
  return {
    url,
    app,
    db,
    stop: async () => {
      await app.close();
      await db.close();
    },
  };
}
