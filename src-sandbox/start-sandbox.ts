import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import {
  DEMO_TENANT_ID,
  DIRECTORY_SYNC_CLIENT_ID,
  SALESFORCE_DEMO_CLIENT_ID,
  WORKSTATION_CLIENT_ID,
} from '../src-shared/demo-tenant';
import { startAdminApp } from './admin/admin-server';
import { generateSampleData, type SampleSize } from './data/sample-data';
import { sampleOrgs } from './data/sample-orgs';
import { sampleUsers, type SampleUser } from './data/sample-users';
import { createDataverseApp } from './dataverse/dataverse-server';
import type { ChangeTracking } from './dataverse/change-tracking';
import type { DirectoryTables } from './dataverse/directory-tables';
import type { WebhookCaller } from './dataverse/webhook-caller';
import {
  AppRegistrations,
  createDirectorySyncApp,
  type GeneratedCertificate,
} from './entra/app-registrations';
import { createEntraApp } from './entra/entra-server';
import { parseScopes, sandboxResources } from './entra/scopes';
import { createSigningKeys } from './entra/signing-keys';
import {
  FaultController,
  type FaultConfig,
  type FaultKnobs,
  type ServiceName,
} from './faults/fault-controller';
import { RequestCounter, type RequestCounts } from './faults/request-counter';
import { createGraphApp } from './graph/graph-server';
import {
  findOrgUser,
  salesforceEnvironments,
  type SalesforceEnvironment,
} from './salesforce/salesforce-org';
import { demoAppScopes } from './salesforce/oauth-routes';
import { createSalesforceApps } from './salesforce/salesforce-server';
import { ensureLocalTls, type LocalTls } from '../src-dev-tls/local-ca';

export type { SampleUser } from './data/sample-users';
export type { FaultConfig, FaultKnobs, ServiceName } from './faults/fault-controller';
export type { SalesforceEnvironment } from './salesforce/salesforce-org';

/** How to start the sandbox. */
export interface SandboxOptions {
  readonly size?: SampleSize;
  readonly faults?: FaultConfig;
  /** Where the local CA lives (`<dataDir>/tls`); a fresh temp dir by default. */
  readonly dataDir?: string;
  readonly seed?: number;
  /**
   * Fixed ports for the CLI; 0 (random) by default. `dataverse` is the first of two consecutive
   * ports (one per org), `salesforce` the first of four.
   */
  readonly ports?: Partial<Record<ServiceName | 'admin', number>>;
  /** Synthetic people added to each org's systemusers (a large directory); none by default. */
  readonly directoryUsers?: number;
}

/** A running sandbox: the Microsoft cloud's stand-ins on loopback HTTPS. */
export interface Sandbox {
  readonly entra: {
    readonly origin: string;
    /** `https://127.0.0.1:<port>/<tenant>`: the MSAL authority. */
    authority(tenantId?: string): string;
    /** `127.0.0.1:<port>`, for MSAL's `knownAuthorities` (the port is required: msal-common compares host:port, https://github.com/AzureAD/microsoft-authentication-library-for-js/blob/dev/lib/msal-common/src/authority/Authority.ts). */
    readonly knownAuthority: string;
    readonly jwksUri: string;
    issuer(tenantId: string): string;
    /** The `claims` parameter of recent /authorize requests, oldest first. */
    authorizeClaims(): readonly string[];
    /** Registers a web redirect URI for an app (the token store's admin console, once the store listens). */
    addRedirectUri(clientId: string, uri: string): void;
  };
  /**
   * Plays a company's Dataverse orgs, each `https://<org>.crm.dynamics.com` on its own origin (the
   * Web API at `<orgUrl>/api/data/v9.2/`), each with its own data: `orgUrl` is the first (contoso),
   * the default wherever one org is enough; `orgUrls` and `orgs` are all of them, the first first.
   */
  readonly dataverse: {
    readonly orgUrl: string;
    readonly orgUrls: readonly string[];
    readonly orgs: readonly { readonly label: string; readonly url: string }[];
  };
  readonly graph: { readonly baseUrl: string };
  /**
   * Plays Salesforce: per environment, the login host (`https://login.salesforce.com` or
   * `https://test.salesforce.com`) and the org's instance (`https://<MyDomain>.my.salesforce.com`,
   * the token response's `instance_url`), with the demo connected app's consumer key.
   */
  readonly salesforce: {
    readonly clientId: string;
    readonly environments: Readonly<Record<SalesforceEnvironment, SalesforceEnvironmentInfo>>;
    /** Tokens for a sample user (UPN, username or user id) without the consent page, for tests of clients. */
    issueTokens(options: { environment: SalesforceEnvironment; user: string; scope?: string }): {
      accessToken: string;
      refreshToken: string | undefined;
      instanceUrl: string;
      id: string;
    };
  };
  /**
   * Directory sync: the demo tenant's confidential app (client credentials with its secret or its
   * certificate), which is an application user with a read role in every org, and each org's
   * directory (systemusers, teams, teammemberships) with the knobs of an admin changing it.
   */
  readonly directory: DirectorySyncInfo;
  readonly adminUrl: string;
  readonly tls: LocalTls;
  readonly users: readonly SampleUser[];
  readonly faults: {
    set(service: ServiceName, knobs: Partial<FaultKnobs>): FaultKnobs;
    reset(): void;
  };
  readonly counters: { snapshot(): RequestCounts; reset(): void };
  /** A token signed by the sandbox's key for tests of other services (no browser, no consent). */
  mintAccessToken(options: {
    user: SampleUser | string;
    scope: string;
    lifetimeSec?: number;
    /** The app the token is issued to (`azp`); the Workstation desktop app by default. */
    clientId?: string;
  }): Promise<string>;
  stop(): Promise<void>;
}

/** The directory sync app registration and each org's directory. */
export interface DirectorySyncInfo {
  readonly tenantId: string;
  readonly clientId: string;
  /** `<authority>/oauth2/v2.0/token`: where client credentials are redeemed (and an assertion's `aud`). */
  readonly tokenUrl: string;
  /** The secret's value (what a client sends) and id (what the portal lists; sending it is AADSTS7000215). */
  readonly clientSecret: string;
  readonly clientSecretId: string;
  /** The certificate registered on the app, with its private key and thumbprints (hex). */
  readonly certificate: GeneratedCertificate;
  /**
   * A fresh random key for a webhook receiver (what an admin sets as the service endpoint's
   * WebhookKey and the receiver checks); the sandbox registers no webhook by itself.
   */
  readonly webhookKey: string;
  /**
   * The same credentials as files under `<dataDir>/directory-sync/` (`dir`): client-secret.txt,
   * certificate.pem, private-key.pem, webhook-key.txt (secrets mode 0600), for a store to read.
   */
  readonly files: {
    readonly dir: string;
    readonly clientSecret: string;
    readonly certificate: string;
    readonly privateKey: string;
    readonly webhookKey: string;
  };
  /** Each org's directory by label (contoso, fabrikam): rows and the admin knobs that change them. */
  org(label: string): DirectoryTables;
  /** Each org's change tracking (expiry knobs, "expire every delta token now"). */
  changeTracking(label: string): ChangeTracking;
  /** Each org's webhook registrations (serviceendpoints) and the calls made to them. */
  webhooks(label: string): WebhookCaller;
}

/** One Salesforce environment of the sandbox. */
export interface SalesforceEnvironmentInfo {
  readonly loginUrl: string;
  readonly instanceUrl: string;
  /** The org's 18-character id. */
  readonly orgId: string;
  /** The org's users: one per sample user, with an 18-character user id. */
  readonly users: readonly {
    readonly userId: string;
    readonly username: string;
    readonly upn: string;
    readonly name: string;
  }[];
}

async function listen(app: FastifyInstance, port = 0): Promise<number> {
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** Starts Entra ID, Dataverse (with search), Graph and Salesforce stand-ins plus the admin endpoint. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  // Its key pair is made off the main thread while the CA and the sample data are made on it.
  const directorySyncPending = createDirectorySyncApp();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ws-sandbox-'));
  const tls = ensureLocalTls(join(dataDir, 'tls'));
  const faults = new FaultController(options.faults, options.seed ?? 1);
  const counter = new RequestCounter();
  const keys = await createSigningKeys();
  const apps = new AppRegistrations();

  const orgUrls: string[] = [];
  let entraOrigin = '';
  const entra = createEntraApp({ tls, keys, orgUrls: () => orgUrls, faults, counter, apps });
  // The first org counts as `dataverse`/`search` as it always did; the others under their label.
  const dataverseOrgs = sampleOrgs.map((org, index) => {
    const data = generateSampleData(
      options.size ?? 'small',
      options.seed ?? 20261123,
      undefined,
      org,
      options.directoryUsers ?? 0,
    );
    return createDataverseApp({
      tls,
      keys,
      data,
      faults,
      counter,
      orgUrl: () => orgUrls[index] ?? '',
      entraOrigin: () => entraOrigin,
      organizationName: org.label,
      ...(index > 0 ? { counterLabel: org.label } : {}),
    });
  });
  const graph = createGraphApp({ tls, keys, faults, counter, entraOrigin: () => entraOrigin });
  const salesforce = createSalesforceApps({
    tls,
    keys,
    faults,
    counter,
    size: options.size ?? 'small',
    seed: options.seed ?? 20261123,
  });

  const directorySync = await directorySyncPending;
  apps.add(directorySync.app);
  const webhookKey = randomBytes(24).toString('base64url');
  const directoryFiles = writeDirectoryCredentials(
    join(dataDir, 'directory-sync'),
    directorySync,
    webhookKey,
  );

  const entraPort = await listen(entra.app, options.ports?.entra);
  entraOrigin = `https://127.0.0.1:${entraPort}`;
  entra.setOrigin(entraOrigin);
  // Dataverse answers at the root of its own origin, as https://<org>.crm.dynamics.com does.
  const dataverseBase = options.ports?.dataverse;
  for (const [index, { app }] of dataverseOrgs.entries())
    orgUrls.push(
      `https://localhost:${await listen(app, dataverseBase ? dataverseBase + index : 0)}`,
    );
  const orgUrl = orgUrls[0] ?? '';
  const graphPort = await listen(graph.app, options.ports?.graph);
  const salesforceBase = options.ports?.salesforce;
  const salesforceInfo = {} as Record<SalesforceEnvironment, SalesforceEnvironmentInfo>;
  for (const [index, name] of salesforceEnvironments.entries()) {
    const environment = salesforce[name];
    // Login hosts on 127.0.0.1, instances on localhost: distinct hosts, as login.salesforce.com and My Domain are.
    const loginUrl = `https://127.0.0.1:${await listen(environment.loginApp, salesforceBase ? salesforceBase + index * 2 : 0)}`;
    const instanceUrl = `https://localhost:${await listen(environment.instanceApp, salesforceBase ? salesforceBase + index * 2 + 1 : 0)}`;
    environment.setOrigins(loginUrl, instanceUrl);
    salesforceInfo[name] = {
      loginUrl,
      instanceUrl,
      orgId: environment.org.orgId,
      users: environment.org.users.map((user) => ({
        userId: user.Id,
        username: user.Username,
        upn: user.sampleUser.upn,
        name: user.Name,
      })),
    };
  }
  const admin = await startAdminApp({
    tls,
    faults,
    counter,
    authorizeClaims: () => [...entra.state.authorizeClaims],
    directory: {
      clientId: DIRECTORY_SYNC_CLIENT_ID,
      info: () => ({
        tenantId: DEMO_TENANT_ID,
        clientId: DIRECTORY_SYNC_CLIENT_ID,
        tokenUrl: `${entraOrigin}/${DEMO_TENANT_ID}/oauth2/v2.0/token`,
        clientSecretId: directorySync.secret.keyId,
        certificateThumbprint: directorySync.certificate.thumbprint,
        certificateThumbprintSha256: directorySync.certificate.thumbprintSha256,
        files: directoryFiles,
        orgs: sampleOrgs.map((org, index) => ({ label: org.label, url: orgUrls[index] ?? '' })),
      }),
      org: (label) => dataverseOrgs[sampleOrgs.findIndex((org) => org.label === label)],
      setSecretExpired: (expired) => {
        directorySync.secret.expiresAt = expired
          ? Date.now() - 1000
          : Date.now() + 2 * 365 * 24 * 3600 * 1000;
      },
    },
    port: options.ports?.admin,
  });

  const resources = () => sandboxResources(orgUrls);
  const orgNamed = (label: string) => {
    const found = dataverseOrgs[sampleOrgs.findIndex((org) => org.label === label)];
    if (!found) throw new Error(`no sample org ${label}`);
    return found;
  };
  return {
    entra: {
      origin: entraOrigin,
      authority: (tenantId = DEMO_TENANT_ID) => `${entraOrigin}/${tenantId}`,
      knownAuthority: `127.0.0.1:${entraPort}`,
      jwksUri: `${entraOrigin}/common/discovery/v2.0/keys`,
      issuer: (tenantId) => `${entraOrigin}/${tenantId}/v2.0`,
      authorizeClaims: () => [...entra.state.authorizeClaims],
      addRedirectUri: (clientId, uri) => entra.addRedirectUri(clientId, uri),
    },
    dataverse: {
      orgUrl,
      orgUrls: [...orgUrls],
      orgs: sampleOrgs.map((org, index) => ({ label: org.label, url: orgUrls[index] ?? '' })),
    },
    graph: { baseUrl: `https://127.0.0.1:${graphPort}/v1.0` },
    salesforce: {
      clientId: SALESFORCE_DEMO_CLIENT_ID,
      environments: salesforceInfo,
      issueTokens({ environment, user, scope }) {
        const { org, state } = salesforce[environment];
        const person = findOrgUser(org, user);
        if (!person) throw new Error(`no Salesforce user ${user} in the ${environment} org`);
        const scopes = (scope ?? demoAppScopes.join(' ')).split(/\s+/).filter(Boolean);
        const refreshToken =
          scopes.includes('refresh_token') || scopes.includes('offline_access')
            ? state.issueRefreshToken(person, scopes).token
            : undefined;
        const session = state.issueSession(person, scopes, refreshToken);
        return {
          accessToken: session.token,
          refreshToken,
          instanceUrl: salesforceInfo[environment].instanceUrl,
          id: `${salesforceInfo[environment].loginUrl}/id/${org.orgId}/${person.Id}`,
        };
      },
    },
    directory: {
      tenantId: DEMO_TENANT_ID,
      clientId: DIRECTORY_SYNC_CLIENT_ID,
      tokenUrl: `${entraOrigin}/${DEMO_TENANT_ID}/oauth2/v2.0/token`,
      clientSecret: directorySync.secret.value,
      clientSecretId: directorySync.secret.keyId,
      certificate: directorySync.certificate,
      webhookKey,
      files: directoryFiles,
      org: (label) => orgNamed(label).directory,
      changeTracking: (label) => orgNamed(label).tracking,
      webhooks: (label) => orgNamed(label).webhooks,
    },
    adminUrl: admin.url,
    tls,
    users: sampleUsers,
    faults: { set: (service, knobs) => faults.set(service, knobs), reset: () => faults.reset() },
    counters: { snapshot: () => counter.snapshot(), reset: () => counter.reset() },
    async mintAccessToken({ user, scope, lifetimeSec, clientId }) {
      const person =
        typeof user === 'string'
          ? sampleUsers.find((candidate) => candidate.upn === user || candidate.oid === user)
          : user;
      if (!person) throw new Error(`no sample user ${String(user)}`);
      const parsed = parseScopes(scope, resources());
      const [resource, permissions] = [...parsed.byResource.entries()][0] ?? [];
      if (!resource || !permissions || parsed.byResource.size !== 1)
        throw new Error(`scope must name exactly one sandbox resource: ${scope}`);
      return entra
        .issuer()
        .accessToken(person, resource, permissions, clientId ?? WORKSTATION_CLIENT_ID, lifetimeSec);
    },
    async stop() {
      await Promise.all([
        entra.app.close(),
        ...dataverseOrgs.map(({ app }) => app.close()),
        graph.app.close(),
        ...salesforceEnvironments.flatMap((name) => [
          salesforce[name].loginApp.close(),
          salesforce[name].instanceApp.close(),
        ]),
        admin.stop(),
      ]);
    },
  };
}

/** The directory sync app's credentials as files an admin would hand the token store (0600). */
function writeDirectoryCredentials(
  dir: string,
  sync: Awaited<ReturnType<typeof createDirectorySyncApp>>,
  webhookKey: string,
): DirectorySyncInfo['files'] {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = {
    dir,
    clientSecret: join(dir, 'client-secret.txt'),
    certificate: join(dir, 'certificate.pem'),
    privateKey: join(dir, 'private-key.pem'),
    webhookKey: join(dir, 'webhook-key.txt'),
  };
  writeFileSync(files.webhookKey, webhookKey, { mode: 0o600 });
  writeFileSync(files.clientSecret, sync.secret.value, { mode: 0o600 });
  writeFileSync(files.certificate, sync.certificate.certPem, { mode: 0o644 });
  writeFileSync(files.privateKey, sync.certificate.keyPem, { mode: 0o600 });
  return files;
}
