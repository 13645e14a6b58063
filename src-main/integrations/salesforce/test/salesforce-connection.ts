import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pino, { type Logger } from 'pino';
import { WORKSTATION_CLIENT_ID } from '../../../../src-shared/demo-tenant';
import type { ConnectionTarget } from '../../../../src-shared/integrations/integration-info';
import type { SalesforceEnvironment, Sandbox } from '../../../../src-sandbox/start-sandbox';
import { completeSalesforceConsent } from '../../../../src-sandbox/test-support/salesforce-consent-driver';
import { LiveConnection } from '../../../accounts/live-connection';
import type { IAuthStrategy } from '../../../auth/auth-strategy';
import type { IBlobStore } from '../../../auth/blob-store';
import type { IBrowserOpener } from '../../../auth/msal-client-config';
import { createMsalNetworkClient } from '../../../auth/msal-network-client';
import { createEnvelope, type Envelope, type EnvelopeContext } from '../../../secrets/envelope';
import type { ConnectionEnvironment } from '../../integration-descriptor';
import { salesforceDescriptor } from '../salesforce-descriptor';

/** A blob store in memory: what was written is exactly what a token store row would hold. */
export class MemoryBlobStore implements IBlobStore {
  blob: string | undefined;
  writes = 0;
  async read() {
    return this.blob;
  }
  async write(blob: string) {
    this.blob = blob;
    this.writes += 1;
  }
  async remove() {
    this.blob = undefined;
  }
}

/** A loopback port nothing listens on right now (the connected app's registered callback port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The sandbox's first sample user: most of the sample records belong to them. */
export const firstUser = (sandbox: Sandbox, environment: SalesforceEnvironment) =>
  sandbox.salesforce.environments[environment].users[0] ?? {
    upn: '',
    username: '',
    userId: '',
    name: '',
  };

/** A browser that plays the user at the stand-in's login and Allow Access page. */
export function consentBrowser(
  sandbox: Sandbox,
  options: { user: string; allow?: boolean; opened?: string[] },
): IBrowserOpener {
  return {
    open: async (url) => {
      options.opened?.push(url);
      await completeSalesforceConsent(url, {
        user: options.user,
        allow: options.allow ?? true,
        ca: sandbox.tls.caCert,
      });
    },
  };
}

/** The app's connection environment, pointed at the sandbox. */
export async function sandboxEnvironment(
  sandbox: Sandbox,
  clientId = sandbox.salesforce.clientId,
): Promise<ConnectionEnvironment> {
  return {
    identity: {
      authority: sandbox.entra.authority(),
      knownAuthorities: [sandbox.entra.knownAuthority],
      protocolMode: 'OIDC',
      clientId: WORKSTATION_CLIENT_ID,
      network: createMsalNetworkClient({ extraCa: sandbox.tls.caCert }),
    },
    graphBaseUrl: sandbox.graph.baseUrl,
    integrationSettings: { salesforce: { clientId, redirectPort: String(await freePort()) } },
    extraCa: sandbox.tls.caCert,
  };
}

export interface SalesforceConnection {
  readonly target: ConnectionTarget;
  readonly displayName: string;
  readonly auth: IAuthStrategy;
  readonly connection: LiveConnection;
  readonly store: MemoryBlobStore;
  readonly envelope: Envelope;
  readonly envelopeContext: EnvelopeContext;
}

/**
 * One Salesforce connection as the connection manager builds it (the descriptor's auth inside a
 * LiveConnection), connected through the stand-in's consent page unless `connect` is false.
 */
export async function salesforceConnection(
  sandbox: Sandbox,
  environment: SalesforceEnvironment,
  options: { user?: string; connect?: boolean; logger?: Logger } = {},
): Promise<SalesforceConnection> {
  const target: ConnectionTarget = {
    connectionId: environment,
    label: environment,
    origin: sandbox.salesforce.environments[environment].loginUrl,
  };
  const displayName = `Salesforce · ${environment}`;
  const store = new MemoryBlobStore();
  const envelope = createEnvelope(randomBytes(32));
  const envelopeContext: EnvelopeContext = {
    tenantId: 'tenant',
    userId: 'user',
    integration: `salesforce:${environment}`,
    deviceId: 'device',
  };
  const connectionEnvironment = await sandboxEnvironment(sandbox);
  const auth = salesforceDescriptor.createAuth({
    target,
    displayName,
    settings: connectionEnvironment.integrationSettings.salesforce ?? {},
    store,
    envelope,
    envelopeContext,
    environment: connectionEnvironment,
    logger: options.logger ?? pino({ level: 'silent' }),
    onChange: () => undefined,
  });
  if (options.connect !== false)
    await auth.connect(
      consentBrowser(sandbox, { user: options.user ?? firstUser(sandbox, environment).upn }),
    );
  const connection = new LiveConnection(salesforceDescriptor, target, auth, connectionEnvironment);
  return { target, displayName, auth, connection, store, envelope, envelopeContext };
}
