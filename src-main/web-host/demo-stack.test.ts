import { PublicClientApplication } from '@azure/msal-node';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SALESFORCE_DEMO_CLIENT_ID,
  TOKENSTORE_SCOPE,
  WORKSTATION_CLIENT_ID,
} from '../../src-shared/demo-tenant';
import { processTree } from '../../src-node-shared/process-tree';
import { dynamicsInfo } from '../../src-shared/integrations/dynamics';
import { outlookInfo } from '../../src-shared/integrations/outlook';
import { salesforceInfo } from '../../src-shared/integrations/salesforce';
import { createCaNetworkClient } from '../../src-sandbox/test-support/ca-network-client';
import { completeConsent } from '../../src-sandbox/test-support/consent-driver';
import {
  demoBanner,
  demoIdentity,
  parseDemoStack,
  startDemoStack,
  type DemoStack,
} from './demo-stack';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';

function getJson(
  url: string,
  token: string,
  ca: string,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ca, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

// The embedded demo tenant as `npm run web` runs it: `npm run sandbox` in its own process, the demo
// admin's token store, and the identity settings the app gets from the sandbox's ready line.
describe('the demo stack: a company with two Dynamics orgs and Salesforce production and sandbox', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ws-demo-stack-'));
  let demo: Awaited<ReturnType<typeof startDemoStack>>;
  let stack: DemoStack;

  beforeAll(async () => {
    demo = await startDemoStack(dir);
    stack = demo.stack;
  }, 120_000);
  afterAll(async () => {
    await demo?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // Linux's /proc names each process's command line; CI runs on Linux.
  it('runs the sandbox and its token store from their prebuilt bundles on plain node, no TypeScript compiler', () => {
    const commands = processTree(demo.pid).map((entry) => entry.args.join(' '));
    expect(commands).toEqual([
      expect.stringMatching(/ \S*\/dist\/sandbox\/cli\.cjs$/),
      expect.stringMatching(/ \S*\/dist\/tokenstore\/cli\.cjs$/),
    ]);
    expect(commands.filter((command) => /tsx|\.ts\b/.test(command))).toEqual([]);
  });

  it('prints the sandbox admin URL and the CA path beside the app, and the CA is a real file', () => {
    const banner = demoBanner(stack);
    expect(banner).toContain(`Sandbox admin (faults, counters): ${stack.adminUrl}`);
    expect(banner).toContain(`CA certificate:                   ${stack.caPath}`);
    expect(readFileSync(stack.caPath, 'utf8')).toContain('BEGIN CERTIFICATE');
  });

  it('reads both org URLs and the Salesforce environments from the ready line, the first org still as orgUrl', () => {
    expect(stack.orgUrls).toHaveLength(2);
    expect(stack.orgUrls[0]).toBe(stack.orgUrl);
    expect(new Set(stack.orgUrls).size).toBe(2);
    expect(stack.salesforce.clientId).toBe(SALESFORCE_DEMO_CLIENT_ID);
    expect(stack.salesforce.production.loginUrl).not.toBe(stack.salesforce.sandbox.loginUrl);
  });

  it('reads a given description (WORKSTATION_DEMO_STACK) through the same schema, refusing a stale one clearly', () => {
    expect(parseDemoStack(JSON.stringify(stack))).toEqual(stack);
    const { orgUrls: _dropped, ...stale } = stack;
    expect(() => parseDemoStack(JSON.stringify(stale))).toThrow(
      /WORKSTATION_DEMO_STACK does not describe a demo tenant \(orgUrls/,
    );
    expect(() => parseDemoStack('{')).toThrow(/not JSON/);
  });

  it('gives the app both orgs and both Salesforce login hosts as extra origins, and the demo connected app', () => {
    const identity = demoIdentity(stack);
    expect(identity.extraOrgOrigins).toEqual([
      ...stack.orgUrls,
      stack.salesforce.production.loginUrl,
      stack.salesforce.sandbox.loginUrl,
    ]);
    expect(identity.integrations).toEqual({
      salesforce: { clientId: SALESFORCE_DEMO_CLIENT_ID, redirectPort: '17170' },
    });
  });

  it("pins the demo admin's targets in the token store, and the app's policy accepts each of them", async () => {
    const ca = readFileSync(stack.caPath, 'utf8');
    const client = new PublicClientApplication({
      auth: {
        clientId: WORKSTATION_CLIENT_ID,
        authority: stack.authority,
        knownAuthorities: [stack.knownAuthority],
      },
      system: { protocolMode: 'OIDC', networkClient: createCaNetworkClient(ca) },
    });
    const signIn = await client.acquireTokenInteractive({
      scopes: [TOKENSTORE_SCOPE],
      openBrowser: (url) => completeConsent(url, { user: ALEX, ca }),
      successTemplate: 'done',
      errorTemplate: 'failed',
    });
    const answer = await getJson(
      `${stack.tokenStoreUrl}/v1/me/integrations`,
      signIn.accessToken,
      ca,
    );
    expect(answer.status).toBe(200);
    const settings = new Map(
      (
        answer.body as { integrations: { id: string; settings: Record<string, unknown> }[] }
      ).integrations.map((entry) => [entry.id, entry.settings]),
    );
    expect([...settings.keys()].sort()).toEqual(
      [dynamicsInfo.id, outlookInfo.id, salesforceInfo.id].sort(),
    );

    // The app re-checks the store's settings with the catalog's schemas and its own extra origins.
    const policy = { extraOrigins: demoIdentity(stack).extraOrgOrigins };
    const targets = (info: typeof dynamicsInfo) =>
      info.pinnedTargets(info.adminSettingsSchema(policy).parse(settings.get(info.id)));
    expect(targets(dynamicsInfo).map((target) => [target.label, target.origin])).toEqual([
      ['contoso', stack.orgUrls[0]],
      ['fabrikam', stack.orgUrls[1]],
    ]);
    expect(
      targets(salesforceInfo).map((target) => [target.connectionId, target.label, target.origin]),
    ).toEqual([
      ['production', 'production', stack.salesforce.production.loginUrl],
      ['sandbox', 'sandbox', stack.salesforce.sandbox.loginUrl],
    ]);
    expect(targets(outlookInfo)).toEqual([]);
  });
});
