/**
 * `npm run sandbox`: starts the local stand-ins of Entra ID, Dataverse (with search), Graph and Salesforce.
 *
 *   npm run sandbox -- --size large --entra-port 8443
 * Flags: --size small|large, --entra-port, --graph-port, --admin-port, --seed,
 * --dataverse-port (the first of two: the contoso org, the fabrikam org),
 * --salesforce-port (the first of four: production login, production instance, sandbox login, sandbox instance),
 * --no-tokenstore (by default the demo also runs the token store, configured by the demo admin),
 * --directory-users N (N synthetic people added to each org's systemusers: a large directory).
 * The CA lives under $WORKSTATION_DATA_DIR (default ~/.workstation-dev)/sandbox/tls.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  DEMO_TENANT_ID,
  SALESFORCE_DEMO_CLIENT_ID,
  WORKSTATION_CLIENT_ID,
} from '../src-shared/demo-tenant';
import { startDemoTokenStore } from './demo/demo-token-store';
import { startSandbox } from './start-sandbox';

const port = z.coerce.number().int().min(0).max(65535).optional();
const flagsSchema = z.object({
  size: z.enum(['small', 'large']).default('small'),
  'entra-port': port,
  'dataverse-port': port,
  'graph-port': port,
  'admin-port': port,
  'salesforce-port': port,
  seed: z.coerce.number().int().optional(),
  'no-tokenstore': z.boolean().default(false),
  'directory-users': z.coerce.number().int().min(0).max(200_000).default(0),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string' },
      'entra-port': { type: 'string' },
      'dataverse-port': { type: 'string' },
      'graph-port': { type: 'string' },
      'admin-port': { type: 'string' },
      'salesforce-port': { type: 'string' },
      seed: { type: 'string' },
      'no-tokenstore': { type: 'boolean' },
      'directory-users': { type: 'string' },
    },
  });
  const flags = flagsSchema.safeParse(values);
  if (!flags.success) {
    process.stderr.write(
      `Invalid flags: ${flags.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; ')}\n`,
    );
    process.exit(2);
  }
  const dataDir = join(
    process.env.WORKSTATION_DATA_DIR ?? join(homedir(), '.workstation-dev'),
    'sandbox',
  );
  const sandbox = await startSandbox({
    size: flags.data.size,
    dataDir,
    seed: flags.data.seed,
    directoryUsers: flags.data['directory-users'],
    ports: {
      entra: flags.data['entra-port'],
      dataverse: flags.data['dataverse-port'],
      graph: flags.data['graph-port'],
      admin: flags.data['admin-port'],
      salesforce: flags.data['salesforce-port'],
    },
  });
  const store = flags.data['no-tokenstore']
    ? undefined
    : await startDemoTokenStore(
        sandbox,
        process.env.WORKSTATION_DATA_DIR ?? join(homedir(), '.workstation-dev'),
      );
  const out = [
    `Workstation sandbox (${flags.data.size} sample) is running:`,
    `  Entra ID authority   ${sandbox.entra.authority()}   (knownAuthorities: ${sandbox.entra.knownAuthority}, client id ${WORKSTATION_CLIENT_ID})`,
    ...sandbox.dataverse.orgs.map(
      (org) =>
        `  Dataverse ${`(${org.label})`.padEnd(11)}${org.url}   (Web API at ${org.url}/api/data/v9.2/)`,
    ),
    `  Graph                ${sandbox.graph.baseUrl}`,
    `  Salesforce (prod)    login ${sandbox.salesforce.environments.production.loginUrl}   instance ${sandbox.salesforce.environments.production.instanceUrl}   (consumer key ${SALESFORCE_DEMO_CLIENT_ID})`,
    `  Salesforce (sandbox) login ${sandbox.salesforce.environments.sandbox.loginUrl}   instance ${sandbox.salesforce.environments.sandbox.instanceUrl}`,
    `  Admin (faults)       ${sandbox.adminUrl}`,
    `  Directory sync app   client id ${sandbox.directory.clientId}, token URL ${sandbox.directory.tokenUrl}, secret and certificate files in ${sandbox.directory.files.dir}`,
    ...(store
      ? [
          `  Token store          ${store.url}   (the demo admin enabled for everyone: Dynamics with both orgs, Salesforce production and sandbox, Outlook)`,
          `  Admin console        ${store.adminConsoleUrl}   (sign in as ${sandbox.users.find((user) => user.tenantId === DEMO_TENANT_ID && user.roles.length > 0)?.upn ?? 'the demo admin'})`,
        ]
      : []),
    `  CA certificate       ${sandbox.tls.caPath}`,
    '',
    'Try it:',
    `  curl --cacert '${sandbox.tls.caPath}' ${sandbox.entra.authority()}/v2.0/.well-known/openid-configuration`,
    `  curl --cacert '${sandbox.tls.caPath}' ${sandbox.adminUrl}/counters`,
    `  curl --cacert '${sandbox.tls.caPath}' ${sandbox.salesforce.environments.production.instanceUrl}/services/data/`,
    `  Sample users of tenant ${DEMO_TENANT_ID}: ${sandbox.users
      .filter((user) => user.tenantId === DEMO_TENANT_ID)
      .map((user) => user.upn)
      .join(', ')}`,
    '',
    'Press Ctrl+C to stop.',
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  if (process.env.WORKSTATION_SANDBOX_READY_JSON === '1') {
    // One machine-readable line for the web host, which runs the demo as a child process:
    // `extraOrigins` and `appIntegrationSettings` are what the app must be configured with.
    process.stdout.write(
      `SANDBOX_READY ${JSON.stringify({ authority: sandbox.entra.authority(), knownAuthority: sandbox.entra.knownAuthority, orgUrl: sandbox.dataverse.orgUrl, orgUrls: sandbox.dataverse.orgUrls, graphBaseUrl: sandbox.graph.baseUrl, tokenStoreUrl: store?.url, adminConsoleUrl: store?.adminConsoleUrl, caPath: sandbox.tls.caPath, adminUrl: sandbox.adminUrl, directory: { tenantId: sandbox.directory.tenantId, clientId: sandbox.directory.clientId, authority: sandbox.entra.authority(), tokenUrl: sandbox.directory.tokenUrl, secretsDir: sandbox.directory.files.dir, clientSecretFile: 'client-secret.txt', certificateFile: 'certificate.pem', privateKeyFile: 'private-key.pem', webhookKeyFile: 'webhook-key.txt', certificateThumbprintSha256: sandbox.directory.certificate.thumbprintSha256, orgs: sandbox.dataverse.orgs }, salesforce: { clientId: sandbox.salesforce.clientId, production: { loginUrl: sandbox.salesforce.environments.production.loginUrl, instanceUrl: sandbox.salesforce.environments.production.instanceUrl }, sandbox: { loginUrl: sandbox.salesforce.environments.sandbox.loginUrl, instanceUrl: sandbox.salesforce.environments.sandbox.instanceUrl } }, extraOrigins: [...sandbox.dataverse.orgUrls, sandbox.salesforce.environments.production.loginUrl, sandbox.salesforce.environments.sandbox.loginUrl], appIntegrationSettings: { salesforce: { clientId: sandbox.salesforce.clientId, redirectPort: '17170' } } })}\n`,
    );
  }
  const stop = () => void Promise.all([sandbox.stop(), store?.stop()]).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The sandbox could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
