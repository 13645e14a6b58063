import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { workstationError } from '../../src-shared/errors';
import { TOKENSTORE_SCOPE, WORKSTATION_CLIENT_ID } from '../../src-shared/demo-tenant';
import { projectCliArgs } from '../../src-node-shared/project-cli';
import type { AppConfig } from '../config/app-config';

const root = fileURLToPath(new URL('../../', import.meta.url));

const environmentSchema = z.object({ loginUrl: z.string().url(), instanceUrl: z.string().url() });
/**
 * The sandbox's ready line. `orgUrl` is the first Dataverse org (kept for readers of one org);
 * `orgUrls` all of them, the first first; `salesforce` the demo connected app and its environments;
 * `extraOrigins` and `appIntegrationSettings` what the app must be configured with (the stand-ins'
 * hosts, each integration's demo settings), passed through without knowing any integration.
 */
const readySchema = z.object({
  authority: z.string().url(),
  knownAuthority: z.string(),
  orgUrl: z.string().url(),
  orgUrls: z.array(z.string().url()).min(1),
  graphBaseUrl: z.string().url(),
  tokenStoreUrl: z.string().url(),
  /** The token store's admin console (absent from a demo tenant older than the console). */
  adminConsoleUrl: z.string().url().optional(),
  caPath: z.string(),
  adminUrl: z.string().url(),
  salesforce: z.object({
    clientId: z.string(),
    production: environmentSchema,
    sandbox: environmentSchema,
  }),
  extraOrigins: z.array(z.string().url()),
  appIntegrationSettings: z.record(z.string(), z.record(z.string(), z.string())),
});
/** Where the running demo tenant answers. */
export type DemoStack = z.infer<typeof readySchema>;

/** Reads a demo tenant's description (`WORKSTATION_DEMO_STACK`), refusing one of another shape with a clear error. */
export function parseDemoStack(json: string): DemoStack {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw workstationError('invalid_input', 'WORKSTATION_DEMO_STACK is not JSON.');
  }
  const parsed = readySchema.safeParse(value);
  if (!parsed.success)
    throw workstationError(
      'invalid_input',
      `WORKSTATION_DEMO_STACK does not describe a demo tenant (${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}).`,
    );
  return parsed.data;
}

/**
 * Runs the embedded demo tenant (`npm run sandbox`: Entra ID, two Dataverse orgs, Graph and
 * Salesforce stand-ins plus the token store) as a child process, as remote services would be, and
 * answers where they are.
 */
export async function startDemoStack(
  dataDir: string,
  options: { nodeExecutable?: string } = {},
): Promise<{ stack: DemoStack; pid: number; stop(): Promise<void> }> {
  // In Electron, process.execPath is Electron itself: the demo runs on the system's Node instead
  // (its native modules are built for Node, not for Electron). It runs its prebuilt bundle.
  const child: ChildProcess = spawn(
    options.nodeExecutable ?? process.execPath,
    projectCliArgs(root, 'sandbox'),
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WORKSTATION_DATA_DIR: dataDir, WORKSTATION_SANDBOX_READY_JSON: '1' },
    },
  );
  let output = '';
  const stack = await new Promise<DemoStack>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the demo tenant did not start:\n${output}`)),
      90_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = /SANDBOX_READY (\{.*\})/.exec(output)?.[1];
      if (line) {
        clearTimeout(timer);
        const parsed = readySchema.safeParse(JSON.parse(line));
        if (parsed.success) resolve(parsed.data);
        else reject(new Error('the demo tenant answered an unexpected description'));
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo tenant exited with ${code}:\n${output}`));
    });
  });
  return {
    stack,
    pid: child.pid as number,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * What `npm start` and `npm run web` print about the demo tenant beside the app's own address:
 * whom to sign in as, and the sandbox's admin URL (faults, counters) and CA path the README's
 * `curl --cacert` examples use.
 */
export function demoBanner(stack: DemoStack): string {
  return [
    'Demo tenant "Contoso (sample)" is running: sign in as alex.wilber@contoso-sample.onmicrosoft.com on its consent page.',
    `  Sandbox admin (faults, counters): ${stack.adminUrl}`,
    `  Token store:                      ${stack.tokenStoreUrl}`,
    ...(stack.adminConsoleUrl
      ? [`  Admin console:                    ${stack.adminConsoleUrl} (sign in as adele.vance)`]
      : []),
    `  CA certificate:                   ${stack.caPath}`,
    `  For example: curl --cacert "${stack.caPath}" ${new URL('/counters', stack.adminUrl).toString()}`,
    '',
  ].join('\n');
}

/**
 * The identity settings that point Workstation at the demo tenant: the sandbox's hosts are the
 * only origins allowed besides the vendors' own, and each integration gets the demo's settings.
 */
export function demoIdentity(stack: DemoStack): NonNullable<AppConfig['identity']> {
  const extraOrgOrigins = stack.extraOrigins.map((url) => new URL(url).origin);
  return {
    authority: stack.authority,
    knownAuthorities: [stack.knownAuthority],
    protocolMode: 'OIDC',
    clientId: WORKSTATION_CLIENT_ID,
    tokenStoreUrl: stack.tokenStoreUrl,
    tokenStoreScope: TOKENSTORE_SCOPE,
    graphBaseUrl: stack.graphBaseUrl,
    extraCaPath: stack.caPath,
    extraOrgOrigins,
    integrations: stack.appIntegrationSettings,
  };
}
