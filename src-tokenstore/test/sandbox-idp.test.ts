import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_OTHER_TENANT_ID,
  DEMO_TENANT_ID,
  TOKENSTORE_ADMIN_ROLE,
  TOKENSTORE_APP_ID,
  TOKENSTORE_SCOPE,
  TOKENSTORE_SCOPE_NAME,
  WORKSTATION_CLIENT_ID,
} from '../../src-shared/demo-tenant';
import { startSandbox, type Sandbox } from '../../src-sandbox/start-sandbox';
import { startTokenStore, type RunningTokenStore } from '../start-token-store';
import { httpsJson } from './https-client';

// The store against the sandbox's Entra ID stand-in: the tokens the demo really issues.
describe('token store with the sandbox as identity provider', () => {
  let sandbox: Sandbox;
  let store: RunningTokenStore;
  const dir = mkdtempSync(join(tmpdir(), 'ws-ts-sandbox-'));

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
    store = await startTokenStore({
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
  });
  afterAll(async () => {
    await store?.stop();
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts the sandbox admin and user tokens for the store, and refuses its tokens for other resources', async () => {
    const call = (
      token: string,
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) =>
      httpsJson(`${store.url}${path}`, {
        method,
        ca: sandbox.tls.caCert,
        body,
        headers: { authorization: `Bearer ${token}`, ...headers },
      });
    const admin = await sandbox.mintAccessToken({
      user: 'adele.vance@contoso-sample.onmicrosoft.com',
      scope: TOKENSTORE_SCOPE,
    });
    const configured = await call(admin, 'PUT', '/v1/admin/integrations/dynamics', {
      enabled: true,
      audience: { kind: 'all' },
      settings: { orgUrl: sandbox.dataverse.orgUrl },
    });
    expect(configured.status).toBe(200);

    const alex = await sandbox.mintAccessToken({
      user: 'alex.wilber@contoso-sample.onmicrosoft.com',
      scope: TOKENSTORE_SCOPE,
    });
    expect((await call(alex, 'GET', '/v1/me/integrations')).body).toEqual({
      integrations: [
        { id: 'dynamics', enabled: true, settings: { orgUrl: sandbox.dataverse.orgUrl } },
      ],
    });
    expect(
      (
        await call(
          alex,
          'PUT',
          '/v1/blobs/dynamics/device-0001',
          { blob: 'Y2lwaGVydGV4dA' },
          { 'if-none-match': '*' },
        )
      ).status,
    ).toBe(200);
    expect((await call(alex, 'GET', '/v1/admin/audit')).status).toBe(403);

    const dataverseToken = await sandbox.mintAccessToken({
      user: 'alex.wilber@contoso-sample.onmicrosoft.com',
      scope: `${sandbox.dataverse.orgUrl}/user_impersonation`,
    });
    const graphToken = await sandbox.mintAccessToken({
      user: 'alex.wilber@contoso-sample.onmicrosoft.com',
      scope: 'https://graph.microsoft.com/Calendars.Read',
    });
    expect((await call(dataverseToken, 'GET', '/v1/me/integrations')).status).toBe(401);
    expect((await call(graphToken, 'GET', '/v1/me/integrations')).status).toBe(401);
  });
});
