import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENSTORE_SCOPE, WORKSTATION_CLIENT_ID } from '../../src-shared/demo-tenant';
import { completeConsent } from '../../src-sandbox/test-support/consent-driver';
import { RootSecretService } from '../secrets/root-secret-service';
import { MemorySecretStore } from '../secrets/secret-store';
import { startDemoServices, type DemoServices } from '../secrets/test/demo-services';
import { TokenStoreClient } from '../secrets/token-store-client';
import { IntegrationConnections } from './integration-connections';
import type { IdentityConfig } from './msal-client-config';
import { createMsalNetworkClient } from './msal-network-client';
import { WorkstationSession } from './workstation-session';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';
const silent = pino({ level: 'silent' });

describe('integration cards and tokens behind Settings > Integrations', () => {
  let demo: DemoServices;
  let dataDir: string;
  let identity: IdentityConfig;
  let session: WorkstationSession;
  // Stands in for a compromised token store: a real HTTPS server answering whatever org it is told.
  let hostile: Server;
  let hostileOrg = '';
  let hostileUrl = '';

  beforeAll(async () => {
    demo = await startDemoServices();
    dataDir = mkdtempSync(join(tmpdir(), 'ws-connections-'));
    const ca = demo.sandbox.tls.caCert;
    identity = { authority: demo.sandbox.entra.authority(), knownAuthorities: [demo.sandbox.entra.knownAuthority], protocolMode: 'OIDC', clientId: WORKSTATION_CLIENT_ID, network: createMsalNetworkClient({ extraCa: ca }) };
    session = new WorkstationSession({ identity, storeScope: TOKENSTORE_SCOPE, dataDir, rootSecrets: new RootSecretService(new MemorySecretStore(), silent), logger: silent, onChange: () => undefined });
    await session.start();
    await session.signIn({ open: (url) => completeConsent(url, { user: ALEX, ca }) });
    hostile = createServer({ cert: demo.sandbox.tls.serverCert, key: demo.sandbox.tls.serverKey }, (req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url !== '/v1/me/integrations') {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: { code: 'not_found', message: 'no such route' } }));
        return;
      }
      res.end(JSON.stringify({ integrations: [{ id: 'dynamics', enabled: true, settings: { orgUrl: hostileOrg } }] }));
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    hostileUrl = `https://localhost:${(hostile.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (hostile ? hostile.close(() => resolve()) : resolve()));
    await demo?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const connectionsTo = (baseUrl: string, options: { extraOrgOrigins?: string[]; lines?: string[] } = {}) =>
    new IntegrationConnections({
      session,
      store: new TokenStoreClient({ baseUrl, extraCa: demo.sandbox.tls.caCert, getToken: () => session.getStoreToken() }),
      identity,
      dataDir,
      logger: options.lines ? pino({ level: 'info' }, { write: (line: string) => void options.lines?.push(line) }) : silent,
      onChange: () => undefined,
      extraOrgOrigins: options.extraOrgOrigins ?? [demo.sandbox.dataverse.orgUrl],
    });
  const dynamicsCard = async (connections: IntegrationConnections) => (await connections.list()).find((item) => item.id === 'dynamics');

  it('uses the org the real store sends when it is the configured extra origin', async () => {
    expect(await dynamicsCard(connectionsTo(demo.store.url))).toMatchObject({ state: 'not_connected', orgUrl: demo.sandbox.dataverse.orgUrl });
  });

  it('accepts a Dynamics 365 org host and uses its bare origin', async () => {
    hostileOrg = 'https://Contoso.crm4.dynamics.com/';
    expect(await dynamicsCard(connectionsTo(hostileUrl))).toMatchObject({ state: 'not_connected', orgUrl: 'https://contoso.crm4.dynamics.com' });
  });

  const sandboxHost = () => new URL(demo.sandbox.dataverse.orgUrl).host;
  const refused: [string, () => string, RegExp][] = [
    ['plain http', () => 'http://contoso.crm4.dynamics.com', /https/],
    ['another host', () => 'https://evil.example', /Dynamics 365 org/],
    ['a Dynamics name as a subdomain of another host', () => 'https://x.crm.dynamics.com.evil.example', /Dynamics 365 org/],
    ['a user name and password', () => 'https://attacker:hunter2@contoso.crm4.dynamics.com', /user name or password/],
    ['a path', () => 'https://contoso.crm4.dynamics.com/api/data/v9.2/', /path, query or fragment/],
    ['a query', () => 'https://contoso.crm4.dynamics.com/?x=1', /path, query or fragment/],
    ['a port', () => 'https://contoso.crm4.dynamics.com:8443', /Dynamics 365 org/],
    ['the extra origin over http', () => `http://${sandboxHost()}`, /https/],
    ['the extra origin with credentials', () => `https://attacker:hunter2@${sandboxHost()}`, /user name or password/],
  ];
  for (const [label, org, reason] of refused) {
    it(`refuses an org address with ${label} from the store: typed, on the card, logged, never used`, async () => {
      hostileOrg = org();
      const lines: string[] = [];
      const connections = connectionsTo(hostileUrl, { lines });
      const card = await dynamicsCard(connections);
      const prefix = "Your organisation's token store sent an org address Workstation does not accept: ";
      expect(card?.state).toBe('unavailable');
      expect(card?.detail).toMatch(reason);
      expect(card?.detail?.startsWith(prefix)).toBe(true);
      expect(card?.orgUrl).toBeUndefined();
      await expect(connections.getAccessToken('dynamics')).rejects.toMatchObject({ code: 'unavailable', message: card?.detail });
      const opened: string[] = [];
      await expect(connections.connect('dynamics', { open: async (url) => void opened.push(url) })).rejects.toMatchObject({ code: 'unavailable', message: card?.detail });
      await expect(connections.connect('dynamics', { open: async (url) => void opened.push(url) }, 'contoso.crm4')).rejects.toMatchObject({ code: 'unavailable' });
      expect(opened).toEqual([]);
      const warnings = lines.map((line) => JSON.parse(line) as { level: number; integration?: string; msg: string }).filter((entry) => entry.level === 40);
      expect(warnings).toEqual([expect.objectContaining({ integration: 'dynamics', msg: expect.stringContaining('org address') })]);
      // Credentials in the refused address appear nowhere.
      expect(`${lines.join('')}${card?.detail}`).not.toContain('hunter2');
    });
  }

  it("shows a newer Workstation's blob on the card as a reason to update, and keeps it", async () => {
    const { envelope, context } = session.sealing('dynamics');
    const sealed = Buffer.from(envelope.seal('{"from":"a newer build"}', context), 'base64url');
    sealed[0] = (sealed[0] ?? 0) + 1;
    const alex = demo.clientFor(ALEX);
    await alex.putBlob('dynamics', session.deviceId, sealed.toString('base64url'), { create: true });
    try {
      const connections = connectionsTo(demo.store.url);
      expect(await dynamicsCard(connections)).toMatchObject({ state: 'unavailable', detail: 'This connection was saved by a newer version of Workstation. Update Workstation to use it.' });
      await expect(connections.getAccessToken('dynamics')).rejects.toMatchObject({ code: 'unavailable' });
      expect((await alex.getBlob('dynamics', session.deviceId))?.blob).toBe(sealed.toString('base64url'));
    } finally {
      await alex.deleteBlob('dynamics', session.deviceId);
    }
  });
});
