import type { AxiosInstance } from 'axios';
import type { ServiceName } from '../../src-sandbox/faults/fault-controller';
import type { BenchSandbox } from './remote-sandbox';
import { GRAPH_RESOURCE, WORKSTATION_CLIENT_ID } from '../../src-shared/demo-tenant';
import type { ConnectionTarget } from '../../src-shared/integrations/integration-info';
import { LiveConnection } from '../../src-main/accounts/live-connection';
import type { IAuthStrategy } from '../../src-main/auth/auth-strategy';
import { createMsalNetworkClient } from '../../src-main/auth/msal-network-client';
import { createAuthorizedHttpClient } from '../../src-main/auth/token-injector';
import { DynamicsApi } from '../../src-main/integrations/dynamics/dynamics-api';
import { dynamicsDescriptor } from '../../src-main/integrations/dynamics/dynamics-descriptor';
import { searchEntities } from '../../src-main/integrations/dynamics/dynamics-entities';
import type {
  ConnectionEnvironment,
  IntegrationDescriptor,
} from '../../src-main/integrations/integration-descriptor';
import { OutlookCalendar } from '../../src-main/integrations/outlook/outlook-calendar';
import { outlookDescriptor } from '../../src-main/integrations/outlook/outlook-descriptor';
import type { ISearchProvider } from '../../src-main/integrations/search-provider';
import { SalesforceApi } from '../../src-main/integrations/salesforce/salesforce-api';
import { salesforceDescriptor } from '../../src-main/integrations/salesforce/salesforce-descriptor';
import { buildSearchSosl } from '../../src-main/integrations/salesforce/sosl';

export const federatedSources = ['dynamics', 'salesforce', 'outlook'] as const;
export type FederatedSource = (typeof federatedSources)[number];

/** The sandbox services whose counters hold each source's upstream requests (Dataverse search counts apart). */
export const servicesOf: Readonly<Record<FederatedSource, readonly ServiceName[]>> = {
  dynamics: ['search', 'dataverse'],
  salesforce: ['salesforce'],
  outlook: ['graph'],
};

/** One request of the naive client for `text`; undefined when the source's query builder sends nothing. */
export type NaiveRequest = (text: string, signal: AbortSignal) => Promise<unknown> | undefined;

export interface FederatedConnections {
  /** What the engine searches: each connection's provider, built by its descriptor as the app builds it. */
  readonly providers: readonly ISearchProvider[];
  /** Provider id → source name. */
  readonly sourceOf: ReadonlyMap<string, FederatedSource>;
  /** The naive client: per source, the same endpoint the provider calls, over its own authorized client. */
  readonly naive: Readonly<Record<FederatedSource, NaiveRequest>>;
}

/**
 * A connection's sign-in with the sandbox issuing its tokens directly (no browser, no consent
 * page): the bench measures search, not sign-in. Tokens are reused until a 401 asks for a new one,
 * as MSAL's cache and the Salesforce session are.
 */
export function sandboxAuth(
  username: string,
  issue: () => Promise<string>,
  apiBase?: string,
): IAuthStrategy {
  let token: Promise<string> | undefined;
  return {
    account: async () => ({ username }),
    lastError: undefined,
    lost: false,
    getAccessToken: (options) => {
      if (!token || options?.forceRefresh) token = issue();
      return token;
    },
    apiBaseUrl: async () => apiBase,
    connect: async () => username,
    disconnect: async () => undefined,
  };
}

/**
 * Dynamics 365 (the sandbox org), Salesforce (the stand-in's production org) and Outlook (Graph),
 * each a LiveConnection over its integration descriptor, the way the connection manager builds
 * them, signed in as `user`.
 */
export async function federatedConnections(
  sandbox: BenchSandbox,
  user: string,
): Promise<FederatedConnections> {
  const environment: ConnectionEnvironment = {
    identity: {
      authority: sandbox.ready.authority,
      knownAuthorities: [sandbox.ready.knownAuthority],
      protocolMode: 'OIDC',
      clientId: WORKSTATION_CLIENT_ID,
      network: createMsalNetworkClient({ extraCa: sandbox.ready.caCert }),
    },
    graphBaseUrl: sandbox.ready.graphBaseUrl,
    integrationSettings: { salesforce: { clientId: sandbox.ready.salesforceClientId } },
    extraCa: sandbox.ready.caCert,
  };
  const salesforceSession = await sandbox.salesforceTokens(user);
  const specs: Record<
    FederatedSource,
    { descriptor: IntegrationDescriptor; target: ConnectionTarget; auth: IAuthStrategy }
  > = {
    dynamics: {
      descriptor: dynamicsDescriptor,
      target: { connectionId: 'sandbox', label: 'sandbox', origin: sandbox.ready.orgUrl },
      auth: sandboxAuth(user, () =>
        sandbox.mintAccessToken({ user, scope: `${sandbox.ready.orgUrl}/user_impersonation` }),
      ),
    },
    salesforce: {
      descriptor: salesforceDescriptor,
      target: {
        connectionId: 'production',
        label: 'production',
        origin: sandbox.ready.salesforceEnvironments.production.loginUrl,
      },
      // The REST API lives at the token response's instance_url, which the sign-in answers.
      auth: sandboxAuth(
        user,
        async () => (await sandbox.salesforceTokens(user)).accessToken,
        salesforceSession.instanceUrl,
      ),
    },
    outlook: {
      descriptor: outlookDescriptor,
      // The user's own mailbox: the one target outlookInfo.targetFromInput answers.
      target: { connectionId: 'default', label: '', origin: GRAPH_RESOURCE },
      auth: sandboxAuth(user, () =>
        sandbox.mintAccessToken({ user, scope: `${GRAPH_RESOURCE}/Calendars.Read` }),
      ),
    },
  };

  const providers: ISearchProvider[] = [];
  const sourceOf = new Map<string, FederatedSource>();
  const http = {} as Record<FederatedSource, AxiosInstance>;
  for (const source of federatedSources) {
    const { descriptor, target, auth } = specs[source];
    const connection = new LiveConnection(descriptor, target, auth, environment);
    const provider = await connection.search();
    if (!provider) throw new Error(`${source} offers no search`);
    providers.push(provider);
    sourceOf.set(provider.id, source);
    // The naive client's own authorized client, made as LiveConnection makes the provider's.
    http[source] = createAuthorizedHttpClient({
      displayName: connection.sourceLabel,
      tokenSource: { getAccessToken: (options) => auth.getAccessToken(options) },
      baseURL: (await auth.apiBaseUrl()) ?? descriptor.apiBase(target, environment),
      extraCa: environment.extraCa,
      ...(descriptor.mapHttpError
        ? { mapError: (failure) => descriptor.mapHttpError?.(failure, connection.sourceLabel) }
        : {}),
    });
  }

  // The providers' own query builders and sizes (top 20, SOSL 20 rows, 14 days of meetings).
  const dynamics = new DynamicsApi(http.dynamics);
  const salesforce = new SalesforceApi(http.salesforce);
  const outlook = new OutlookCalendar(http.outlook);
  const naive: Record<FederatedSource, NaiveRequest> = {
    dynamics: (text, signal) => dynamics.search(text, searchEntities, 20, signal),
    salesforce: (text, signal) => {
      const sosl = buildSearchSosl(text, 20);
      return sosl === undefined ? undefined : salesforce.search(sosl, signal);
    },
    outlook: (_text, signal) => outlook.within(14, signal),
  };
  return { providers, sourceOf, naive };
}
