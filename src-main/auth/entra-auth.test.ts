import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT_ID, WORKSTATION_CLIENT_ID } from '../../src-shared/demo-tenant';
import {
  completeConsent,
  consentTab,
  followRefresh,
} from '../../src-sandbox/test-support/consent-driver';
import { createEnvelope } from '../secrets/envelope';
import { startDemoServices, type DemoServices } from '../secrets/test/demo-services';
import { RemoteBlobStore } from './blob-store';
import { EntraAuth } from './entra-auth';
import { createMsalNetworkClient } from './msal-network-client';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';
const logger = pino({ level: 'silent' });
/** The blob of the sandbox org's Dynamics connection on one device. */
const keyOf = (deviceId: string) => ({
  integration: 'dynamics',
  connection: 'sandbox-org',
  deviceId,
});

describe('integration sign-in with an encrypted cache in the token store', () => {
  let demo: DemoServices;
  const root = randomBytes(32);
  beforeAll(async () => {
    demo = await startDemoServices();
  });
  afterAll(async () => demo?.stop());

  const alexOid = () => demo.sandbox.users.find((user) => user.upn === ALEX)?.oid ?? '';
  const make = (deviceId: string, secret = root, onChange = () => undefined as unknown) =>
    new EntraAuth({
      identity: {
        authority: demo.sandbox.entra.authority(),
        knownAuthorities: [demo.sandbox.entra.knownAuthority],
        protocolMode: 'OIDC',
        clientId: WORKSTATION_CLIENT_ID,
        network: createMsalNetworkClient({ extraCa: demo.sandbox.tls.caCert }),
      },
      displayName: 'Dynamics 365',
      scopes: [`${demo.sandbox.dataverse.orgUrl}/user_impersonation`],
      resource: demo.sandbox.dataverse.orgUrl,
      store: new RemoteBlobStore(demo.clientFor(ALEX), keyOf(deviceId)),
      envelope: createEnvelope(secret),
      envelopeContext: {
        tenantId: DEMO_TENANT_ID,
        userId: alexOid(),
        integration: 'dynamics',
        deviceId,
      },
      logger,
      onChange: () => void onChange(),
    });
  const browser = (opened: string[] = [], accept = true) => ({
    open: async (url: string) => {
      opened.push(url);
      await completeConsent(url, { user: ALEX, accept, ca: demo.sandbox.tls.caCert });
    },
  });

  it('connects once, then gets tokens silently, also after a restart, and stores only ciphertext', async () => {
    const opened: string[] = [];
    const auth = make('device-restart');
    expect(await auth.connect(browser(opened))).toBe(ALEX);
    expect(opened).toHaveLength(1);
    const token = await auth.getAccessToken();

    // A restart: new MSAL client, same keychain secret; the cache comes back from the store.
    demo.sandbox.counters.reset();
    const restarted = make('device-restart');
    expect((await restarted.account())?.username).toBe(ALEX);
    expect(await restarted.getAccessToken()).toBe(token);
    // Served from the restored cache: discovery may be fetched, the token endpoint is not called.
    expect(
      demo.sandbox.counters.snapshot().byPath[`entra /${DEMO_TENANT_ID}/oauth2/v2.0/token`],
    ).toBeUndefined();
    expect((await restarted.getAccessToken({ forceRefresh: true })) !== token).toBe(true);

    const database = [demo.sqlitePath, `${demo.sqlitePath}-wal`]
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file, 'latin1'))
      .join('');
    expect(database.length).toBeGreaterThan(0);
    expect(database).not.toContain(token);
    expect(database).not.toContain('RefreshToken');
    expect(database).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\./); // no JWT of any kind
  });

  it('never opens a browser from a background call: an expired refresh token means Reconnect', async () => {
    const opened: string[] = [];
    const auth = make('device-expired');
    await auth.connect(browser(opened));
    demo.sandbox.faults.set('entra', { refreshTokenExpired: true });
    try {
      await expect(auth.getAccessToken({ forceRefresh: true })).rejects.toMatchObject({
        code: 'needs_reconnect',
      });
      expect(opened).toHaveLength(1);
      expect(auth.lastError?.code).toBe('needs_reconnect');
    } finally {
      demo.sandbox.faults.set('entra', { refreshTokenExpired: false });
    }
  });

  // Conditional Access wants MFA: the refresh through MSAL must reach the 50076 mapping (not the
  // generic "expired"), and Reconnect must hand Entra the claims challenge of that failure.
  // https://learn.microsoft.com/entra/identity-platform/claims-challenge
  it('says extra verification is needed when Conditional Access wants MFA, and Reconnect sends the claims challenge', async () => {
    const opened: string[] = [];
    const auth = make('device-mfa');
    await auth.connect(browser(opened));
    demo.sandbox.faults.set('entra', { mfaRequiredFor: ['dataverse'] });
    try {
      const error = await auth
        .getAccessToken({ forceRefresh: true })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        code: 'needs_reconnect',
        message: expect.stringMatching(/^Extra verification needed\. .*Dynamics 365.*Reconnect/),
      });
      expect(auth.lastError).toBe(error);
      expect(opened).toHaveLength(1);

      await auth.connect(browser(opened));
      const sent = JSON.parse(new URL(opened[1] ?? '').searchParams.get('claims') ?? '{}') as {
        access_token?: { capolids?: { essential?: boolean; values?: string[] } };
      };
      expect(sent.access_token?.capolids).toMatchObject({
        essential: true,
        values: [expect.any(String)],
      });
      expect(await auth.getAccessToken({ forceRefresh: true })).toEqual(expect.any(String));
      expect(auth.lastError).toBeUndefined();

      // The challenge is answered: the next Connect does not carry it again.
      await auth.connect(browser(opened));
      expect(new URL(opened[2] ?? '').searchParams.get('claims') ?? '').not.toContain('capolids');
    } finally {
      demo.sandbox.faults.set('entra', { mfaRequiredFor: [] });
    }
  });

  it('maps a declined consent and an admin-consent requirement to what the card shows', async () => {
    await expect(make('device-declined').connect(browser([], false))).rejects.toMatchObject({
      code: 'consent_declined',
    });
    demo.sandbox.faults.set('entra', { consentRequired: true });
    try {
      const error = await make('device-admin')
        .connect(browser())
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        code: 'needs_admin_consent',
        actionUrl: expect.stringContaining('/v2.0/adminconsent?client_id='),
      });
    } finally {
      demo.sandbox.faults.set('entra', { consentRequired: false });
    }
  });

  it('tells the browser tab what actually happened: signed in, admin approval needed, declined', async () => {
    const tab = async (accept: boolean, device: string) => {
      let page = '';
      const outcome = await make(device)
        .connect({
          open: async (url) => {
            page = await consentTab(url, { user: ALEX, accept, ca: demo.sandbox.tls.caCert });
          },
        })
        .then(
          () => 'connected',
          (error: { code?: string }) => error.code,
        );
      return { outcome, page: await followRefresh(page, demo.sandbox.tls.caCert) };
    };
    demo.sandbox.faults.set('entra', { consentRequired: true });
    try {
      const admin = await tab(true, 'device-tab-admin');
      expect(admin.outcome).toBe('needs_admin_consent');
      expect(admin.page).toContain('needs an administrator&#39;s approval first.');
      expect(admin.page).not.toContain('You are signed in');
    } finally {
      demo.sandbox.faults.set('entra', { consentRequired: false });
    }
    const declined = await tab(false, 'device-tab-declined');
    expect(declined.outcome).toBe('consent_declined');
    expect(declined.page).toContain('You declined the sign-in to Dynamics 365.');
    const signedIn = await tab(true, 'device-tab-ok');
    expect(signedIn.outcome).toBe('connected');
    expect(signedIn.page).toContain('You are signed in to Dynamics 365.');
    expect(signedIn.page).toContain('return to Workstation');
  });

  it('treats a blob that no longer authenticates (salt lost) as lost: deleted, needs reconnect, no crash', async () => {
    const original = make('device-salt');
    await original.connect(browser());
    expect(await demo.clientFor(ALEX).getBlob(keyOf('device-salt'))).toBeDefined();
    let changes = 0;
    const reinstalled = make('device-salt', randomBytes(32), () => (changes += 1));
    expect(await reinstalled.account()).toBeUndefined();
    expect(reinstalled.lost).toBe(true);
    expect(changes).toBe(1);
    await expect(reinstalled.getAccessToken()).rejects.toMatchObject({ code: 'needs_reconnect' });
    expect(await demo.clientFor(ALEX).getBlob(keyOf('device-salt'))).toBeUndefined();
  });

  // A blob written by a newer Workstation (newer envelope format or key version) is not lost: the
  // user still has it on the newer build. An older build must leave it alone and say to update.
  for (const [label, headerByte] of [
    ['format', 0],
    ['key', 1],
  ] as const) {
    it(`leaves a blob with a newer ${label} version in the store and asks to update Workstation, once`, async () => {
      const deviceId = `device-newer-${label}`;
      const sealed = Buffer.from(
        createEnvelope(root).seal('{"from":"a newer build"}', {
          tenantId: DEMO_TENANT_ID,
          userId: alexOid(),
          integration: 'dynamics',
          deviceId,
        }),
        'base64url',
      );
      sealed[headerByte] = (sealed[headerByte] ?? 0) + 1;
      const newer = sealed.toString('base64url');
      const alex = demo.clientFor(ALEX);
      await alex.putBlob(keyOf(deviceId), newer, { create: true });

      let changes = 0;
      const opened: string[] = [];
      const older = make(deviceId, root, () => (changes += 1));
      expect(await older.account()).toBeUndefined();
      expect(older.lost).toBe(false);
      const expected = {
        code: 'unavailable',
        message:
          'This connection was saved by a newer version of Workstation. Update Workstation to use it.',
      };
      expect(older.lastError).toMatchObject(expected);
      await expect(older.getAccessToken()).rejects.toMatchObject(expected);
      // Connect would overwrite the newer blob: refused before any browser opens.
      await expect(older.connect(browser(opened))).rejects.toMatchObject(expected);
      expect(opened).toHaveLength(0);
      // Read once, reported once: no loop of reads and change events.
      expect(await older.account()).toBeUndefined();
      expect(changes).toBe(1);
      expect((await alex.getBlob(keyOf(deviceId)))?.blob).toBe(newer);
    });
  }

  it('keeps a damaged blob until a Reconnect replaces it (only a failed tag means the salt is lost)', async () => {
    const alex = demo.clientFor(ALEX);
    await alex.putBlob(keyOf('device-damaged'), 'AAAA', { create: true });
    const auth = make('device-damaged');
    expect(await auth.account()).toBeUndefined();
    expect(auth.lost).toBe(true);
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'needs_reconnect' });
    expect((await alex.getBlob(keyOf('device-damaged')))?.blob).toBe('AAAA');
    await auth.connect(browser());
    const replaced = await alex.getBlob(keyOf('device-damaged'));
    expect(
      createEnvelope(root)
        .open(replaced?.blob ?? '', {
          tenantId: DEMO_TENANT_ID,
          userId: alexOid(),
          integration: 'dynamics',
          deviceId: 'device-damaged',
        })
        .toString(),
    ).toContain(ALEX);
  });

  it('disconnects: the account is gone here and the blob is gone from the store', async () => {
    const auth = make('device-disconnect');
    await auth.connect(browser());
    await auth.disconnect();
    expect(await auth.account()).toBeUndefined();
    expect(await demo.clientFor(ALEX).getBlob(keyOf('device-disconnect'))).toBeUndefined();
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'needs_reconnect' });
  });
});
