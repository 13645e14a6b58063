import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../src-sandbox/start-sandbox';
import { LiveConnection } from '../../accounts/live-connection';
import { createEnvelope } from '../../secrets/envelope';
import { salesforceDescriptor } from './salesforce-descriptor';
import {
  consentBrowser,
  firstUser,
  MemoryBlobStore,
  salesforceConnection,
  sandboxEnvironment,
} from './test/salesforce-connection';

describe('the Salesforce descriptor', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
  });
  afterAll(async () => sandbox?.stop());

  it('makes the connection unavailable without a consumer key, saying what to set', async () => {
    const environment = await sandboxEnvironment(sandbox, '');
    const target = {
      connectionId: 'production',
      label: 'production',
      origin: sandbox.salesforce.environments.production.loginUrl,
    };
    const auth = salesforceDescriptor.createAuth({
      target,
      displayName: 'Salesforce · production',
      settings: environment.integrationSettings.salesforce ?? {},
      store: new MemoryBlobStore(),
      envelope: createEnvelope(Buffer.alloc(32, 1)),
      envelopeContext: {
        tenantId: 't',
        userId: 'u',
        integration: 'salesforce:production',
        deviceId: 'd',
      },
      environment,
      logger: pino({ level: 'silent' }),
      onChange: () => undefined,
    });
    const unavailable = {
      code: 'unavailable',
      message:
        "Salesforce is not configured: set the connected app's consumer key (WORKSTATION_SALESFORCE_CLIENT_ID).",
    };
    expect(auth.lastError).toMatchObject(unavailable);
    const opened: string[] = [];
    await expect(
      auth.connect({ open: async (url) => void opened.push(url) }),
    ).rejects.toMatchObject(unavailable);
    await expect(auth.getAccessToken()).rejects.toMatchObject(unavailable);
    expect(opened).toEqual([]);
    expect(
      await new LiveConnection(salesforceDescriptor, target, auth, environment).summary(),
    ).toMatchObject({ state: 'unavailable', detail: unavailable.message });
  });

  it("signs in at the target's login host and then works at the instance Salesforce names", async () => {
    const production = sandbox.salesforce.environments.production;
    const { auth, target, connection } = await salesforceConnection(sandbox, 'production', {
      connect: false,
    });
    // Before the first sign-in there is no instance yet: the login host stands in.
    expect(salesforceDescriptor.apiBase(target, await sandboxEnvironment(sandbox))).toBe(
      production.loginUrl,
    );
    const opened: string[] = [];
    await auth.connect(
      consentBrowser(sandbox, { user: firstUser(sandbox, 'production').upn, opened }),
    );
    const authorize = new URL(opened[0] ?? '');
    expect(authorize.origin + authorize.pathname).toBe(
      `${production.loginUrl}/services/oauth2/authorize`,
    );
    expect(authorize.searchParams.get('scope')).toBe('api refresh_token id');
    expect(authorize.searchParams.get('redirect_uri')).toMatch(
      /^http:\/\/localhost:\d+\/callback$/,
    );
    expect(await auth.apiBaseUrl()).toBe(production.instanceUrl);
    expect(await connection.summary()).toMatchObject({
      state: 'connected',
      account: firstUser(sandbox, 'production').username,
    });
    expect(await connection.linkHosts()).toEqual([new URL(production.instanceUrl).host]);
  });
});
