/**
 * `npm run tokenstore`: starts the token store over HTTPS.
 *
 * Environment:
 *   DATABASE_URL                  postgres://… to use PostgreSQL; unset = SQLite
 *   TOKENSTORE_SQLITE_PATH        SQLite file (default: <data dir>/tokenstore/tokenstore.sqlite)
 *   TOKENSTORE_HOST / _PORT       where to listen (default 127.0.0.1, a free port)
 *   TOKENSTORE_TLS_CERT / _KEY    PEM files of the server certificate; unset = the local development CA's
 *   TOKENSTORE_ISSUER_TEMPLATE    exact issuer with {tenantid}, e.g. https://login.microsoftonline.com/{tenantid}/v2.0 (required)
 *   TOKENSTORE_JWKS_URI           the IdP's JWKS, e.g. https://login.microsoftonline.com/common/discovery/v2.0/keys (required)
 *   TOKENSTORE_AUDIENCE           the store's app id (default: the demo tenant's token store app id)
 *   TOKENSTORE_ALLOWED_TENANTS    comma-separated tenant ids; unset = any tenant
 *   TOKENSTORE_ALLOWED_CLIENTS    comma-separated app ids of the client apps whose tokens are accepted (`azp` of v2.0
 *                                 tokens, `appid` of v1.0 ones; default: the demo tenant's Workstation desktop app id)
 *   TOKENSTORE_EXTRA_ORIGINS      comma-separated https origins admins may name in any integration's settings besides the
 *                                 vendor's hosts (*.crmN.dynamics.com, Salesforce login hosts); TOKENSTORE_EXTRA_ORG_ORIGINS,
 *                                 the old name, is read when this one is unset
 *   TOKENSTORE_REQUESTS_PER_MINUTE per-user rate limit (default 600)
 *   TOKENSTORE_AUTH_FAILURES_PER_MINUTE failed authentications per client address per minute before 429 (default 20)
 *   TOKENSTORE_WORKERS            processes serving the store, 1 to 64 or `auto` (one per core); default 1. Above 1 this
 *                                 process forks them (node:cluster) and they share its port and the database; the
 *                                 verified-token cache and both rate limits are counted per worker
 *   TOKENSTORE_TRUST_PROXY        comma-separated addresses/CIDRs of the reverse proxies in front of the store (or
 *                                 loopback, linklocal, uniquelocal) whose X-Forwarded-For names the client; unset = none,
 *                                 the socket peer is the client. `true` is refused: it would trust any client's header.
 *   TOKENSTORE_DIRECTORY_SECRETS_DIR  folder whose files directory sync settings may name (client secret,
 *                                 certificate and key, webhook key); TOKENSTORE_DIRECTORY_* variables may be named too
 *   TOKENSTORE_DIRECTORY_CA_FILE  PEM of an extra CA for Entra ID and Dataverse (default: the local development CA
 *                                 when the store uses it)
 *   TOKENSTORE_DIRECTORY_TICK_SECONDS seconds between looks for due directory runs and queued user syncs (default 30)
 *   TOKENSTORE_ADMIN_CONSOLE_CLIENT_ID  the admin console's app registration (a public client with redirect URI
 *                                 <public URL>/admin/auth/callback); unset = no console at /admin
 *   TOKENSTORE_ADMIN_CONSOLE_AUTHORITY  https://login.microsoftonline.com/<tenant id> (required with the client id)
 *   TOKENSTORE_ADMIN_CONSOLE_SCOPE the store's delegated scope the console asks for (default api://<audience>/access_as_user)
 *   TOKENSTORE_PUBLIC_URL         https://… origin browsers reach the store at (default: the address it listens on)
 *   WORKSTATION_DATA_DIR          data dir for the development CA and the SQLite file (default ~/.workstation-dev)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOKENSTORE_ADMIN_ROLE, TOKENSTORE_SCOPE_NAME } from '../src-shared/demo-tenant';
import { ensureLocalTls } from '../src-dev-tls/local-ca';
import { createMaskedLogger } from '../src-node-shared/masked-logger';
import { isClusterWorker, reportWorkerReady, startWorkerCluster } from './cluster/worker-cluster';
import { startTokenStore } from './start-token-store';
import { storeEnvSchema } from './store-env';

async function main(): Promise<void> {
  const parsed = storeEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('\n  ');
    process.stderr.write(`The token store is not configured:\n  ${detail}\n`);
    process.exit(2);
  }
  const env = parsed.data;
  const sqlitePath =
    env.TOKENSTORE_SQLITE_PATH ?? join(env.WORKSTATION_DATA_DIR, 'tokenstore', 'tokenstore.sqlite');
  // Masked on every path a line is built (message, interpolation, errors, child bindings).
  const logger = createMaskedLogger({ app: 'tokenstore' });
  const announce = (url: string, workers: string) => {
    process.stdout.write(
      `Token store listening at ${url} (${env.DATABASE_URL ? 'PostgreSQL' : `SQLite ${sqlitePath}`})${workers}\n`,
    );
    if (env.TOKENSTORE_ADMIN_CONSOLE_CLIENT_ID)
      process.stdout.write(`Admin console at ${env.TOKENSTORE_PUBLIC_URL ?? url}/admin\n`);
  };
  // Signals may come twice (Ctrl-C reaches every process of the group, then the primary's SIGTERM).
  let stopping: Promise<void> | undefined;
  const onSignals = (stop: () => Promise<void>) => {
    const once = () => void (stopping ??= stop().then(() => process.exit(0)));
    process.once('SIGINT', once);
    process.once('SIGTERM', once);
  };

  if (env.TOKENSTORE_WORKERS > 1 && !isClusterWorker()) {
    // The primary only forks and watches: the workers hold the TLS keys, the database and the server.
    const workers = await startWorkerCluster({
      workers: env.TOKENSTORE_WORKERS,
      log: (line) => logger.info(line),
    });
    announce(workers.url, ` (${env.TOKENSTORE_WORKERS} workers)`);
    onSignals(() => workers.stop());
    return;
  }
  const tls =
    env.TOKENSTORE_TLS_CERT && env.TOKENSTORE_TLS_KEY
      ? {
          cert: readFileSync(env.TOKENSTORE_TLS_CERT, 'utf8'),
          key: readFileSync(env.TOKENSTORE_TLS_KEY, 'utf8'),
          ca: undefined,
        }
      : (() => {
          const local = ensureLocalTls(join(env.WORKSTATION_DATA_DIR, 'sandbox', 'tls'));
          return { cert: local.serverCert, key: local.serverKey, ca: local.caCert };
        })();

  const store = await startTokenStore({
    host: env.TOKENSTORE_HOST,
    port: env.TOKENSTORE_PORT,
    tls: { cert: tls.cert, key: tls.key },
    databaseUrl: env.DATABASE_URL,
    sqlitePath,
    auth: {
      audience: env.TOKENSTORE_AUDIENCE,
      issuerTemplate: env.TOKENSTORE_ISSUER_TEMPLATE,
      jwksUri: env.TOKENSTORE_JWKS_URI,
      allowedTenants: env.TOKENSTORE_ALLOWED_TENANTS,
      allowedClients: env.TOKENSTORE_ALLOWED_CLIENTS,
      requiredScope: TOKENSTORE_SCOPE_NAME,
      adminRole: TOKENSTORE_ADMIN_ROLE,
      jwksCa: tls.ca,
    },
    limits: {
      requestsPerMinute: env.TOKENSTORE_REQUESTS_PER_MINUTE,
      authFailuresPerMinute: env.TOKENSTORE_AUTH_FAILURES_PER_MINUTE,
    },
    trustProxy: env.TOKENSTORE_TRUST_PROXY,
    extraOrigins: env.extraOrigins,
    ...(env.TOKENSTORE_ADMIN_CONSOLE_CLIENT_ID && env.TOKENSTORE_ADMIN_CONSOLE_AUTHORITY
      ? {
          adminConsole: {
            clientId: env.TOKENSTORE_ADMIN_CONSOLE_CLIENT_ID,
            authority: env.TOKENSTORE_ADMIN_CONSOLE_AUTHORITY,
            scope: env.adminConsoleScope,
            origin: env.TOKENSTORE_PUBLIC_URL,
            ca: tls.ca,
          },
        }
      : {}),
    logger,
    directory: {
      secretsDir: env.TOKENSTORE_DIRECTORY_SECRETS_DIR,
      extraCa: env.TOKENSTORE_DIRECTORY_CA_FILE
        ? readFileSync(env.TOKENSTORE_DIRECTORY_CA_FILE, 'utf8')
        : tls.ca,
      tickMs: env.TOKENSTORE_DIRECTORY_TICK_SECONDS * 1000,
    },
  });
  // A worker's primary announces the cluster once, for all of them.
  if (isClusterWorker()) reportWorkerReady(store.url);
  else announce(store.url, '');
  onSignals(() => store.stop());
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The token store could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
