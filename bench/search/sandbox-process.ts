/**
 * The bench's sandbox in a process of its own (forked by remote-sandbox.ts), so the stand-ins' CPU
 * (JWT checks, search scans, TLS) is not counted in the engine's latency. Knobs and counters go
 * through the sandbox's admin HTTPS endpoint; this process answers over the IPC channel only what
 * the admin endpoint has no route for: tokens signed by the sandbox (no browser sign-in is measured)
 * and its own CPU time.
 */
import { DEMO_TENANT_ID } from '../../src-shared/demo-tenant';
import { sampleUsers, type SampleUser } from '../../src-sandbox/data/sample-users';
import { startSandbox } from '../../src-sandbox/start-sandbox';
import { syntheticOid, type SandboxProcessOptions, type SandboxRequest } from './sandbox-protocol';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as SandboxProcessOptions;
  // The sample directory has five people in the demo tenant; an org of 50 needs more. They are
  // added before the data is generated, so each is a systemuser of the org (owning a share of the
  // rows the first user does not) and has a budget of its own at Dataverse search's per-user limit.
  // The sandbox's module is private to this process, so nothing else sees the extra users.
  for (let index = 0; index < options.syntheticUsers; index += 1)
    (sampleUsers as SampleUser[]).push({
      oid: syntheticOid(index),
      tenantId: DEMO_TENANT_ID,
      upn: `bench.user${index + 1}@contoso-sample.onmicrosoft.com`,
      displayName: `Bench User ${index + 1}`,
      roles: [],
      groups: [],
    });
  const sandbox = await startSandbox({ size: options.size, faults: options.faults });
  const send = (message: unknown) => process.send?.(message);

  process.on('message', (raw) => {
    const request = raw as SandboxRequest;
    const answer = async (): Promise<unknown> => {
      switch (request.op) {
        case 'mint':
          return sandbox.mintAccessToken({
            user: request.user,
            scope: request.scope,
            ...(request.lifetimeSec ? { lifetimeSec: request.lifetimeSec } : {}),
          });
        case 'salesforceTokens':
          return sandbox.salesforce.issueTokens({
            environment: request.environment,
            user: request.user,
          });
        case 'cpu':
          return process.cpuUsage();
        case 'stop':
          await sandbox.stop();
          setImmediate(() => process.exit(0));
          return true;
      }
    };
    answer().then(
      (value) => send({ id: request.id, value }),
      (error: unknown) => send({ id: request.id, error: String(error) }),
    );
  });

  send({
    ready: {
      adminUrl: sandbox.adminUrl,
      caCert: sandbox.tls.caCert,
      entraOrigin: sandbox.entra.origin,
      authority: sandbox.entra.authority(),
      knownAuthority: sandbox.entra.knownAuthority,
      orgUrl: sandbox.dataverse.orgUrl,
      orgs: sandbox.dataverse.orgs,
      graphBaseUrl: sandbox.graph.baseUrl,
      salesforceClientId: sandbox.salesforce.clientId,
      salesforceEnvironments: sandbox.salesforce.environments,
    },
  });
}

// The parent going away (a crash, Ctrl+C) takes the sandbox with it.
process.on('disconnect', () => process.exit(0));
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
