import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { fileURLToPath } from 'node:url';
import {
  ADMIN_CONSOLE_CLIENT_ID,
  DEMO_OTHER_TENANT_ID,
  DEMO_TENANT_ID,
  TOKENSTORE_SCOPE,
  WORKSTATION_CLIENT_ID,
} from '../../src-shared/demo-tenant';
import { projectCliArgs } from '../../src-node-shared/project-cli';
import type { Sandbox } from '../start-sandbox';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The demo's token store, run as its own process as it would be in production. */
export interface DemoTokenStore {
  readonly url: string;
  /** The store's admin console, signing in through the sandbox's Entra ID. */
  readonly adminConsoleUrl: string;
  stop(): Promise<void>;
}

function put(url: string, token: string, body: unknown, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'PUT',
        ca,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/**
 * What the demo tenant's admin sets, for everyone: Dynamics with the company's two orgs, Salesforce
 * with production and the sandbox, and Outlook. Pinned targets are what the app then offers.
 */
function demoAdminSettings(
  sandbox: Sandbox,
): readonly (readonly [string, Record<string, unknown>])[] {
  const { production, sandbox: uat } = sandbox.salesforce.environments;
  return [
    [
      'dynamics',
      { orgs: sandbox.dataverse.orgs.map((org) => ({ url: org.url, label: org.label })) },
    ],
    [
      'salesforce',
      {
        environments: [
          { loginUrl: production.loginUrl, label: 'production' },
          { loginUrl: uat.loginUrl, label: 'sandbox' },
        ],
      },
    ],
    ['outlook', {}],
  ];
}

/**
 * Starts `npm run tokenstore` trusting the sandbox's Entra ID, then configures it as the demo
 * tenant's admin would (see demoAdminSettings).
 */
export async function startDemoTokenStore(
  sandbox: Sandbox,
  dataDir: string,
): Promise<DemoTokenStore> {
  // Its prebuilt bundle, on the same node as the sandbox.
  const child: ChildProcess = spawn(process.execPath, projectCliArgs(root, 'tokenstore'), {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      WORKSTATION_DATA_DIR: dataDir,
      TOKENSTORE_ISSUER_TEMPLATE: `${sandbox.entra.origin}/{tenantid}/v2.0`,
      TOKENSTORE_JWKS_URI: sandbox.entra.jwksUri,
      TOKENSTORE_ALLOWED_TENANTS: `${DEMO_TENANT_ID},${DEMO_OTHER_TENANT_ID}`,
      // The sandbox issues the store's tokens to the Workstation app (azp); the default, stated.
      TOKENSTORE_ALLOWED_CLIENTS: WORKSTATION_CLIENT_ID,
      // The sandbox's hosts stand in for *.dynamics.com and Salesforce's login hosts.
      // Directory sync's credentials (the sandbox's app registration) as files a setting names by
      // bare name: client-secret.txt, certificate.pem, private-key.pem, webhook-key.txt.
      TOKENSTORE_DIRECTORY_SECRETS_DIR: sandbox.directory.files.dir,
      TOKENSTORE_EXTRA_ORIGINS: [
        ...sandbox.dataverse.orgUrls,
        // Entra ID's stand-in, the authority directory sync's settings name.
        sandbox.entra.origin,
        sandbox.salesforce.environments.production.loginUrl,
        sandbox.salesforce.environments.sandbox.loginUrl,
      ].join(','),
      // The admin console, registered in the sandbox's tenant like the desktop app.
      TOKENSTORE_ADMIN_CONSOLE_CLIENT_ID: ADMIN_CONSOLE_CLIENT_ID,
      TOKENSTORE_ADMIN_CONSOLE_AUTHORITY: sandbox.entra.authority(DEMO_TENANT_ID),
    },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the token store did not start:\n${output}`)),
      60_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Token store listening at (https:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the token store exited with ${code}:\n${output}`));
    });
  });
  // As an admin registers the console's redirect URI once the store has its address.
  sandbox.entra.addRedirectUri(ADMIN_CONSOLE_CLIENT_ID, `${url}/admin/auth/callback`);
  const admin = sandbox.users.find(
    (user) => user.tenantId === DEMO_TENANT_ID && user.roles.length > 0,
  );
  if (!admin) throw new Error('the demo tenant has no admin');
  const token = await sandbox.mintAccessToken({ user: admin, scope: TOKENSTORE_SCOPE });
  for (const [id, settings] of demoAdminSettings(sandbox)) {
    const status = await put(
      `${url}/v1/admin/integrations/${id}`,
      token,
      { enabled: true, audience: { kind: 'all' }, settings },
      sandbox.tls.caCert,
    );
    if (status !== 200) throw new Error(`configuring ${id} in the token store answered ${status}`);
  }
  return {
    url,
    adminConsoleUrl: `${url}/admin`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
