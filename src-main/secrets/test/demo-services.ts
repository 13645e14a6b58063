import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEMO_OTHER_TENANT_ID,
  DEMO_TENANT_ID,
  TOKENSTORE_ADMIN_ROLE,
  TOKENSTORE_APP_ID,
  TOKENSTORE_SCOPE,
  TOKENSTORE_SCOPE_NAME,
  WORKSTATION_CLIENT_ID,
} from '../../../src-shared/demo-tenant';
import { startSandbox, type Sandbox } from '../../../src-sandbox/start-sandbox';
import { startTokenStore, type RunningTokenStore } from '../../../src-tokenstore/start-token-store';
import { TokenStoreClient } from '../token-store-client';

/** The sandbox and a token store trusting it, configured by the demo admin: what main's tests talk to. */
export interface DemoServices {
  readonly sandbox: Sandbox;
  readonly store: RunningTokenStore;
  /** The store's SQLite file (read it with its -wal file: recent writes sit there). */
  readonly sqlitePath: string;
  /** A store client acting as `upn`. */
  clientFor(upn: string): TokenStoreClient;
  /** Calls an admin route as the demo admin; answers the status. */
  admin(method: 'PUT' | 'DELETE', path: string, body?: unknown): Promise<number>;
  stop(): Promise<void>;
}

export async function startDemoServices(): Promise<DemoServices> {
  const dir = mkdtempSync(join(tmpdir(), 'ws-main-demo-'));
  const sandbox = await startSandbox({ size: 'small', dataDir: dir });
  const store = await startTokenStore({
    tls: { cert: sandbox.tls.serverCert, key: sandbox.tls.serverKey },
    sqlitePath: join(dir, 'store.sqlite'),
    auth: {
      audience: TOKENSTORE_APP_ID,
      issuerTemplate: `${sandbox.entra.origin}/{tenantid}/v2.0`,
      jwksUri: sandbox.entra.jwksUri,
      allowedTenants: [DEMO_TENANT_ID, DEMO_OTHER_TENANT_ID],
      allowedClients: [WORKSTATION_CLIENT_ID],
      requiredScope: TOKENSTORE_SCOPE_NAME,
      adminRole: TOKENSTORE_ADMIN_ROLE,
      jwksCa: sandbox.tls.caCert,
    },
    extraOrigins: [sandbox.dataverse.orgUrl],
    logger: false,
  });
  const clientFor = (upn: string) =>
    new TokenStoreClient({
      baseUrl: store.url,
      extraCa: sandbox.tls.caCert,
      getToken: () => sandbox.mintAccessToken({ user: upn, scope: TOKENSTORE_SCOPE }),
    });
  const adminToken = await sandbox.mintAccessToken({
    user: 'adele.vance@contoso-sample.onmicrosoft.com',
    scope: TOKENSTORE_SCOPE,
  });
  const { request } = await import('node:https');
  const admin = (method: 'PUT' | 'DELETE', path: string, body?: unknown) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        `${store.url}${path}`,
        {
          method,
          ca: sandbox.tls.caCert,
          headers: {
            authorization: `Bearer ${adminToken}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  const status = await admin('PUT', '/v1/admin/integrations/dynamics', {
    enabled: true,
    audience: { kind: 'all' },
    settings: { orgUrl: sandbox.dataverse.orgUrl },
  });
  if (status !== 200) throw new Error(`admin setup answered ${status}`);
  return {
    sandbox,
    store,
    sqlitePath: join(dir, 'store.sqlite'),
    clientFor,
    admin,
    stop: async () => {
      await store.stop();
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
