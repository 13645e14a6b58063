import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { completeConsent } from '../../src-sandbox/test-support/consent-driver';
import type { IdentityConfig } from '../auth/msal-client-config';
import type { WorkstationSession } from '../auth/workstation-session';
import { integrationRegistry } from '../integrations/registry';
import { ManualClock, settle } from '../integrations/test/manual-clock';
import { startDemoServices, type DemoServices } from '../secrets/test/demo-services';
import { signedInSession } from './test/signed-in-session';
import { TokenStoreClient } from '../secrets/token-store-client';
import { ConnectionListFile } from './connection-list-file';
import { ConnectionManager } from './connection-manager';
import { CrmTasks } from './crm-tasks';
import { POLICY_POLL_MS, startPolicyWatch } from './policy-watch';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';
const silent = pino({ level: 'silent' });

describe('live policy: an admin change reaches the running app', () => {
  let demo: DemoServices;
  let dataDir: string;
  let identity: IdentityConfig;
  let session: WorkstationSession;
  let files = 0;
  const enableDynamics = () =>
    demo.admin('PUT', '/v1/admin/integrations/dynamics', {
      enabled: true,
      audience: { kind: 'all' },
      settings: { orgUrl: demo.sandbox.dataverse.orgUrl },
    });

  beforeAll(async () => {
    demo = await startDemoServices();
    dataDir = mkdtempSync(join(tmpdir(), 'ws-policy-'));
    ({ identity, session } = await signedInSession(demo, dataDir, ALEX));
  });
  afterEach(async () => {
    expect(await enableDynamics()).toBe(200);
  });
  afterAll(async () => {
    await demo?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const manager = (changes: { count: number } = { count: 0 }, clock?: ManualClock) =>
    new ConnectionManager({
      ...(clock ? { schedule: clock.schedule, now: clock.now } : {}),
      registry: integrationRegistry,
      session,
      store: new TokenStoreClient({
        baseUrl: demo.store.url,
        extraCa: demo.sandbox.tls.caCert,
        getToken: () => session.getStoreToken(),
      }),
      environment: {
        identity,
        graphBaseUrl: demo.sandbox.graph.baseUrl,
        integrationSettings: {},
        extraCa: demo.sandbox.tls.caCert,
      },
      policy: { extraOrigins: [demo.sandbox.dataverse.orgUrl] },
      list: new ConnectionListFile(join(dataDir, `connections-${(files += 1)}.json`)),
      logger: silent,
      onChange: () => void (changes.count += 1),
    });
  const consent = {
    open: (url: string) => completeConsent(url, { user: ALEX, ca: demo.sandbox.tls.caCert }),
  };
  const dynamicsCard = async (connections: ConnectionManager) =>
    (await connections.list()).find((item) => item.id === 'dynamics');

  it('answers the policy under an ETag, and a 304 while nothing changed', async () => {
    const alex = demo.clientFor(ALEX);
    const first = await alex.policy();
    expect(first).toMatchObject({ notModified: false, etag: expect.any(String) });
    const etag = first.notModified ? '' : (first.etag ?? '');
    expect(await alex.policy(etag)).toEqual({ notModified: true });
    expect(await demo.admin('DELETE', '/v1/admin/integrations/dynamics')).toBe(200);
    const after = await alex.policy(etag);
    expect(after).toMatchObject({ notModified: false, policy: { integrations: [] } });
  });

  it('turns a disabled integration off on the next poll of a controllable clock: card, search and tasks', async () => {
    const changes = { count: 0 };
    const connections = manager(changes);
    await connections.connect('dynamics', consent);
    expect((await dynamicsCard(connections))?.connections[0]?.state).toBe('connected');
    const clock = new ManualClock();
    const watch = startPolicyWatch({
      poll: () => connections.pollPolicy(),
      logger: silent,
      schedule: clock.schedule,
    });
    try {
      await clock.advance(POLICY_POLL_MS);
      for (let i = 0; i < 50; i += 1) await settle();
      const before = changes.count;
      expect(await demo.admin('DELETE', '/v1/admin/integrations/dynamics')).toBe(200);
      // Nothing is asked until the next poll is due.
      expect((await dynamicsCard(connections))?.availability).toBe('available');
      await clock.advance(POLICY_POLL_MS);
      for (let i = 0; i < 200 && changes.count === before; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(changes.count).toBeGreaterThan(before);
      const card = await dynamicsCard(connections);
      expect(card).toMatchObject({ availability: 'unavailable' });
      expect(card?.connect).toBeUndefined();
      const { sources } = await connections.searchSources();
      expect(sources).toEqual([
        expect.objectContaining({
          blocked: expect.objectContaining({
            state: 'not_enabled',
            message: 'Your organisation has turned off Dynamics 365 for you.',
          }),
        }),
      ]);
      const tasks = await new CrmTasks(connections).list();
      expect(tasks.status).toEqual({
        state: 'not_enabled',
        message:
          'Your organisation has turned off Dynamics 365 for you, so Workstation cannot show your tasks.',
      });
    } finally {
      watch.stop();
    }
  });

  it('turns it on again on the next poll when the admin re-enables it, asking to Reconnect (the sign-in was deleted)', async () => {
    const connections = manager();
    await connections.connect('dynamics', consent);
    await connections.pollPolicy();
    expect(await demo.admin('DELETE', '/v1/admin/integrations/dynamics')).toBe(200);
    await connections.pollPolicy();
    expect((await dynamicsCard(connections))?.availability).toBe('unavailable');
    expect(await enableDynamics()).toBe(200);
    await connections.pollPolicy();
    expect((await dynamicsCard(connections))?.availability).toBe('available');
    const { sources } = await connections.searchSources();
    expect(sources).toEqual([
      expect.objectContaining({
        blocked: expect.objectContaining({ state: 'needs_reconnect', action: 'reconnect' }),
      }),
    ]);
  });

  it("shows an admin's revoke as Reconnect on the next poll, and search answers with that row", async () => {
    const connections = manager();
    await connections.connect('dynamics', consent);
    await connections.pollPolicy();
    const alex = demo.sandbox.users.find((user) => user.upn === ALEX);
    expect(
      await demo.admin('DELETE', `/v1/admin/users/${alex?.oid ?? ''}/blobs?integration=dynamics`),
    ).toBe(200);
    expect((await dynamicsCard(connections))?.connections[0]?.state).toBe('connected');
    await connections.pollPolicy();
    expect((await dynamicsCard(connections))?.connections[0]).toMatchObject({
      state: 'needs_reconnect',
      detail: expect.stringContaining('administrator signed you out of Dynamics 365'),
    });
    const { sources } = await connections.searchSources();
    expect(sources).toEqual([
      expect.objectContaining({
        blocked: expect.objectContaining({ state: 'needs_reconnect', action: 'reconnect' }),
      }),
    ]);
    await connections.connect('dynamics', consent);
    expect((await dynamicsCard(connections))?.connections[0]?.state).toBe('connected');
  });

  it('lets a pending Connect be cancelled, gives it up after 5 minutes, and says so after a reload', async () => {
    // No sign-in stored from the tests before: this connection starts unconnected.
    const connectionId = new URL(demo.sandbox.dataverse.orgUrl).host.replace(/[^a-z0-9]+/g, '-');
    await demo.clientFor(ALEX).deleteBlob({
      integration: 'dynamics',
      connection: connectionId,
      deviceId: session.deviceId,
    });
    const clock = new ManualClock(1_000_000);
    const connections = manager({ count: 0 }, clock);
    // The user opens the consent tab and closes it: nothing ever comes back.
    const abandoned = { open: async () => undefined };
    await connections.startConnect('dynamics', abandoned);
    const pending = (await dynamicsCard(connections))?.connections[0];
    expect(pending).toMatchObject({ state: 'connecting', pendingUntil: 1_000_000 + 300_000 });
    connections.cancelConnect('dynamics', pending?.connectionId ?? '');
    for (let i = 0; i < 20; i += 1) await settle();
    expect((await dynamicsCard(connections))?.connections[0]).toMatchObject({
      state: 'not_connected',
    });

    await connections.startConnect('dynamics', abandoned);
    await clock.advance(299_999);
    // A reload asks main again: the row is still honestly waiting.
    expect((await dynamicsCard(connections))?.connections[0]?.state).toBe('connecting');
    await clock.advance(1);
    for (let i = 0; i < 20; i += 1) await settle();
    expect((await dynamicsCard(connections))?.connections[0]).toEqual(
      expect.objectContaining({
        state: 'not_connected',
        detail: 'The sign-in was not finished within 5 minutes. Choose Reconnect to try again.',
      }),
    );
    // Connect again works, and succeeds.
    await connections.connect('dynamics', consent);
    expect((await dynamicsCard(connections))?.connections[0]?.state).toBe('connected');
  });
});
