import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DEMO_TENANT_ID, WORKSTATION_CLIENT_ID } from '../src-shared/demo-tenant';
import { startAdminApp } from './admin/admin-server';
import { generateSampleData, type SampleSize } from './data/sample-data';
import { sampleUsers, type SampleUser } from './data/sample-users';
import { createDataverseApp } from './dataverse/dataverse-server';
import { createEntraApp } from './entra/entra-server';
import { parseScopes, sandboxResources } from './entra/scopes';
import { createSigningKeys } from './entra/signing-keys';
import { FaultController, type FaultConfig, type FaultKnobs, type ServiceName } from './faults/fault-controller';
import { RequestCounter, type RequestCounts } from './faults/request-counter';
import { createGraphApp } from './graph/graph-server';
import { ensureLocalTls, type LocalTls } from '../src-dev-tls/local-ca';

export type { SampleUser } from './data/sample-users';
export type { FaultConfig, FaultKnobs, ServiceName } from './faults/fault-controller';

/** How to start the sandbox. */
export interface SandboxOptions {
  readonly size?: SampleSize;
  readonly faults?: FaultConfig;
  /** Where the local CA lives (`<dataDir>/tls`); a fresh temp dir by default. */
  readonly dataDir?: string;
  readonly seed?: number;
  /** Fixed ports for the CLI; 0 (random) by default. */
  readonly ports?: Partial<Record<ServiceName | 'admin', number>>;
}

/** A running sandbox: the Microsoft cloud's stand-ins on loopback HTTPS. */
export interface Sandbox {
  readonly entra: {
    readonly origin: string;
    /** `https://127.0.0.1:<port>/<tenant>`: the MSAL authority. */
    authority(tenantId?: string): string;
    /** `127.0.0.1:<port>`, for MSAL's `knownAuthorities` (the port is required, WIRE.md 0.1). */
    readonly knownAuthority: string;
    readonly jwksUri: string;
    issuer(tenantId: string): string;
    /** The `claims` parameter of recent /authorize requests, oldest first. */
    authorizeClaims(): readonly string[];
  };
  /** Plays `https://<org>.crm.dynamics.com`: the Web API is at `<orgUrl>/api/data/v9.2/`. */
  readonly dataverse: { readonly orgUrl: string };
  readonly graph: { readonly baseUrl: string };
  readonly adminUrl: string;
  readonly tls: LocalTls;
  readonly users: readonly SampleUser[];
  readonly faults: { set(service: ServiceName, knobs: Partial<FaultKnobs>): FaultKnobs; reset(): void };
  readonly counters: { snapshot(): RequestCounts; reset(): void };
  /** A token signed by the sandbox's key for tests of other services (no browser, no consent). */
  mintAccessToken(options: { user: SampleUser | string; scope: string; lifetimeSec?: number }): Promise<string>;
  stop(): Promise<void>;
}

async function listen(app: FastifyInstance, port = 0): Promise<number> {
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** Starts Entra ID, Dataverse (with search) and Graph stand-ins plus the admin endpoint. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ws-sandbox-'));
  const tls = ensureLocalTls(join(dataDir, 'tls'));
  const faults = new FaultController(options.faults, options.seed ?? 1);
  const counter = new RequestCounter();
  const keys = await createSigningKeys();
  const data = generateSampleData(options.size ?? 'small', options.seed ?? 20261123);

  let orgUrl = '';
  let entraOrigin = '';
  const entra = createEntraApp({ tls, keys, orgUrl: () => orgUrl, faults, counter });
  const dataverse = createDataverseApp({ tls, keys, data, faults, counter, orgUrl: () => orgUrl, entraOrigin: () => entraOrigin });
  const graph = createGraphApp({ tls, keys, faults, counter, entraOrigin: () => entraOrigin });

  const entraPort = await listen(entra.app, options.ports?.entra);
  entraOrigin = `https://127.0.0.1:${entraPort}`;
  entra.setOrigin(entraOrigin);
  // Dataverse answers at the root of its own origin, as https://<org>.crm.dynamics.com does.
  orgUrl = `https://localhost:${await listen(dataverse.app, options.ports?.dataverse)}`;
  const graphPort = await listen(graph.app, options.ports?.graph);
  const admin = await startAdminApp({ tls, faults, counter, authorizeClaims: () => [...entra.state.authorizeClaims], port: options.ports?.admin });

  const resources = () => sandboxResources(orgUrl);
  return {
    entra: {
      origin: entraOrigin,
      authority: (tenantId = DEMO_TENANT_ID) => `${entraOrigin}/${tenantId}`,
      knownAuthority: `127.0.0.1:${entraPort}`,
      jwksUri: `${entraOrigin}/common/discovery/v2.0/keys`,
      issuer: (tenantId) => `${entraOrigin}/${tenantId}/v2.0`,
      authorizeClaims: () => [...entra.state.authorizeClaims],
    },
    dataverse: { orgUrl },
    graph: { baseUrl: `https://127.0.0.1:${graphPort}/v1.0` },
    adminUrl: admin.url,
    tls,
    users: sampleUsers,
    faults: { set: (service, knobs) => faults.set(service, knobs), reset: () => faults.reset() },
    counters: { snapshot: () => counter.snapshot(), reset: () => counter.reset() },
    async mintAccessToken({ user, scope, lifetimeSec }) {
      const person = typeof user === 'string' ? sampleUsers.find((candidate) => candidate.upn === user || candidate.oid === user) : user;
      if (!person) throw new Error(`no sample user ${String(user)}`);
      const parsed = parseScopes(scope, resources());
      const [resource, permissions] = [...parsed.byResource.entries()][0] ?? [];
      if (!resource || !permissions || parsed.byResource.size !== 1) throw new Error(`scope must name exactly one sandbox resource: ${scope}`);
      return entra.issuer().accessToken(person, resource, permissions, WORKSTATION_CLIENT_ID, lifetimeSec);
    },
    async stop() {
      await Promise.all([entra.app.close(), dataverse.app.close(), graph.app.close(), admin.stop()]);
    },
  };
}
