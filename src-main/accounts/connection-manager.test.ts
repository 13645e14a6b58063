import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeConsent } from '../../src-sandbox/test-support/consent-driver';
import type { IdentityConfig } from '../auth/msal-client-config';
import type { WorkstationSession } from '../auth/workstation-session';
import { integrationRegistry } from '../integrations/registry';
import { startDemoServices, type DemoServices } from '../secrets/test/demo-services';
import { signedInSession } from './test/signed-in-session';
import { TokenStoreClient } from '../secrets/token-store-client';
import { ConnectionListFile, connectionListOwner } from './connection-list-file';
import { ConnectionManager } from './connection-manager';
import { CrmTasks } from './crm-tasks';

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
    ({ identity, session } = await signedInSession(demo, dataDir, ALEX));
    hostile = createServer(
      { cert: demo.sandbox.tls.serverCert, key: demo.sandbox.tls.serverKey },
      (req, res) => {
        res.setHeader('content-type', 'application/json');
        if (req.url !== '/v1/me/integrations' && req.url !== '/v1/me/policy') {
          res.statusCode = 404;
          res.end(JSON.stringify({ error: { code: 'not_found', message: 'no such route' } }));
          return;
        }
        res.end(
          JSON.stringify({
            integrations: [{ id: 'dynamics', enabled: true, settings: { orgUrl: hostileOrg } }],
            revocations: {},
          }),
        );
      },
    );
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    hostileUrl = `https://localhost:${(hostile.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (hostile ? hostile.close(() => resolve()) : resolve()));
    await demo?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  let listFile = 0;
  const connectionsTo = (
    baseUrl: string,
    options: { extraOrigins?: string[]; lines?: string[]; list?: ConnectionListFile } = {},
  ) =>
    new ConnectionManager({
      registry: integrationRegistry,
      session,
      store: new TokenStoreClient({
        baseUrl,
        extraCa: demo.sandbox.tls.caCert,
        getToken: () => session.getStoreToken(),
      }),
      environment: {
        identity,
        graphBaseUrl: demo.sandbox.graph.baseUrl,
        integrationSettings: {},
        extraCa: demo.sandbox.tls.caCert,
      },
      policy: { extraOrigins: options.extraOrigins ?? [demo.sandbox.dataverse.orgUrl] },
      list:
        options.list ??
        new ConnectionListFile(join(dataDir, `connections-${(listFile += 1)}.json`)),
      logger: options.lines
        ? pino({ level: 'info' }, { write: (line: string) => void options.lines?.push(line) })
        : silent,
      onChange: () => undefined,
    });
  const dynamicsCard = async (connections: ConnectionManager) =>
    (await connections.list()).find((item) => item.id === 'dynamics');
  const consent = {
    open: (url: string) => completeConsent(url, { user: ALEX, ca: demo.sandbox.tls.caCert }),
  };

  it("offers the admin's one org as a Connect without a form, then shows the connection", async () => {
    const connections = connectionsTo(demo.store.url);
    expect(await dynamicsCard(connections)).toMatchObject({
      availability: 'available',
      connect: { fields: [] },
      connections: [],
    });
    await connections.connect('dynamics', consent);
    const card = await dynamicsCard(connections);
    expect(card?.connect).toBeUndefined();
    expect(card?.connections).toEqual([
      expect.objectContaining({
        state: 'connected',
        account: ALEX,
        origin: demo.sandbox.dataverse.orgUrl,
      }),
    ]);
    const [connection] = await connections.live();
    expect(connection?.sourceLabel).toMatch(/^Dynamics 365 · /);
    const tasks = await new CrmTasks(connections).list();
    expect(tasks.status.state).toBe('ok');
    expect(tasks.tasks.length).toBeGreaterThan(0);
    expect(
      tasks.tasks.every(
        (task) =>
          task.source === connection?.sourceId && task.sourceLabel === connection.sourceLabel,
      ),
    ).toBe(true);
    const id = card?.connections[0]?.connectionId ?? '';
    await connections.disconnect('dynamics', id);
    expect((await dynamicsCard(connections))?.connections).toEqual([]);
    expect(
      await demo
        .clientFor(ALEX)
        .getBlob({ integration: 'dynamics', connection: id, deviceId: session.deviceId }),
    ).toBeUndefined();
  });

  it('accepts a Dynamics 365 org host from the store and uses its bare origin', async () => {
    hostileOrg = 'https://Contoso.crm4.dynamics.com/';
    const connections = connectionsTo(hostileUrl);
    expect(await dynamicsCard(connections)).toMatchObject({
      availability: 'available',
      connect: { fields: [] },
      connections: [],
    });
  });

  const sandboxHost = () => new URL(demo.sandbox.dataverse.orgUrl).host;
  const refused: [string, () => string, RegExp][] = [
    ['plain http', () => 'http://contoso.crm4.dynamics.com', /https/],
    ['another host', () => 'https://evil.example', /Dynamics 365 org/],
    [
      'a Dynamics name as a subdomain of another host',
      () => 'https://x.crm.dynamics.com.evil.example',
      /Dynamics 365 org/,
    ],
    [
      'a user name and password',
      () => 'https://attacker:hunter2@contoso.crm4.dynamics.com',
      /user name or password/,
    ],
    ['a path', () => 'https://contoso.crm4.dynamics.com/api/data/v9.2/', /path, query or fragment/],
    ['a query', () => 'https://contoso.crm4.dynamics.com/?x=1', /path, query or fragment/],
    ['a port', () => 'https://contoso.crm4.dynamics.com:8443', /Dynamics 365 org/],
    ['the extra origin over http', () => `http://${sandboxHost()}`, /https/],
    [
      'the extra origin with credentials',
      () => `https://attacker:hunter2@${sandboxHost()}`,
      /user name or password/,
    ],
  ];
  for (const [label, org, reason] of refused) {
    it(`refuses an org address with ${label} from the store: typed, on the card, logged, never used`, async () => {
      hostileOrg = org();
      const lines: string[] = [];
      const connections = connectionsTo(hostileUrl, { lines });
      const card = await dynamicsCard(connections);
      const prefix =
        "Your organisation's token store sent Dynamics 365 settings Workstation does not accept: ";
      expect(card?.availability).toBe('unavailable');
      expect(card?.detail).toMatch(reason);
      expect(card?.detail?.startsWith(prefix)).toBe(true);
      expect(card?.connect).toBeUndefined();
      expect(await connections.live()).toEqual([]);
      const opened: string[] = [];
      await expect(
        connections.connect('dynamics', { open: async (url) => void opened.push(url) }),
      ).rejects.toMatchObject({ code: 'unavailable', message: card?.detail });
      await expect(
        connections.connect(
          'dynamics',
          { open: async (url) => void opened.push(url) },
          { fields: { org: 'contoso.crm4' } },
        ),
      ).rejects.toMatchObject({ code: 'unavailable' });
      expect(opened).toEqual([]);
      const warnings = lines
        .map((line) => JSON.parse(line) as { level: number; integration?: string; msg: string })
        .filter((entry) => entry.level === 40);
      expect(warnings).toEqual([
        expect.objectContaining({
          integration: 'dynamics',
          msg: expect.stringContaining('settings'),
        }),
      ]);
      // Credentials in the refused address appear nowhere.
      expect(`${lines.join('')}${card?.detail}`).not.toContain('hunter2');
    });
  }

  it("shows a newer Workstation's blob on the row as a reason to update, and keeps it", async () => {
    const connectionId = new URL(demo.sandbox.dataverse.orgUrl).host.replace(/[^a-z0-9]+/g, '-');
    const key = { integration: 'dynamics', connection: connectionId, deviceId: session.deviceId };
    const { envelope, context } = session.sealing(`dynamics:${connectionId}`);
    const sealed = Buffer.from(envelope.seal('{"from":"a newer build"}', context), 'base64url');
    sealed[0] = (sealed[0] ?? 0) + 1;
    const alex = demo.clientFor(ALEX);
    // The connection exists on this device (an older Workstation runs where a newer one saved it).
    const list = new ConnectionListFile(join(dataDir, 'connections-newer.json'));
    await list.write(
      [
        {
          integration: 'dynamics',
          connectionId,
          label: 'sandbox org',
          origin: demo.sandbox.dataverse.orgUrl,
        },
      ],
      connectionListOwner(session.account!),
    );
    await alex.compareAndSwap(key, () => sealed.toString('base64url'));
    const fresh = connectionsTo(demo.store.url, { list });
    try {
      expect((await dynamicsCard(fresh))?.connections).toEqual([
        expect.objectContaining({
          state: 'unavailable',
          detail:
            'This connection was saved by a newer version of Workstation. Update Workstation to use it.',
        }),
      ]);
      expect(await fresh.live()).toEqual([]);
      expect((await alex.getBlob(key))?.blob).toBe(sealed.toString('base64url'));
    } finally {
      await alex.deleteBlob(key);
    }
  });
});
