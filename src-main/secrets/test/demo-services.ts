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
  await new Promise<void>((resolve, reject) => {
    const req = request(
      `${store.url}/v1/admin/integrations/dynamics`,
      {
        method: 'PUT',
        ca: sandbox.tls.caCert,
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? resolve()
            : reject(new Error(`admin setup answered ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(
      JSON.stringify({
        enabled: true,
        audience: { kind: 'all' },
        settings: { orgUrl: sandbox.dataverse.orgUrl },
      }),
    );
  });
  return {
    sandbox,
    store,
    sqlitePath: join(dir, 'store.sqlite'),
    clientFor,
    stop: async () => {
      await store.stop();
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
