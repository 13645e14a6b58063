import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { IntegrationList } from '../../src-shared/domain/integrations';
import type { IEventSink } from '../../src-shared/event-sink';
import { isWorkstationError } from '../../src-shared/errors';
import { ConnectionListFile } from '../accounts/connection-list-file';
import { ConnectionManager } from '../accounts/connection-manager';
import { CrmTasks } from '../accounts/crm-tasks';
import { SessionService } from '../accounts/session-service';
import { startPolicyWatch } from '../accounts/policy-watch';
import { UpcomingMeetings } from '../accounts/upcoming-meetings';
import type { IBrowserOpener, IdentityConfig } from '../auth/msal-client-config';
import { createMsalNetworkClient } from '../auth/msal-network-client';
import { WorkstationSession } from '../auth/workstation-session';
import type { AppConfig } from '../config/app-config';
import { integrationRegistry } from '../integrations/registry';
import type { RootSecretService } from '../secrets/root-secret-service';
import { TokenStoreClient } from '../secrets/token-store-client';

/** The user's sign-in, their connections and what the widgets show; connections are absent without a tenant. */
export interface Accounts {
  readonly session: SessionService;
  readonly connections: ConnectionManager | undefined;
  readonly tasks: CrmTasks | undefined;
  readonly meetings: UpcomingMeetings | undefined;
  /** Settings > Integrations, also when no tenant is configured (every card says so). */
  integrations(): Promise<IntegrationList>;
  /** Whether any window of the app is shown: the policy poll is frequent only then. */
  setVisible(visible: boolean): void;
  /** Stops the policy poll. */
  dispose(): void;
}

/** What the accounts are wired with. */
export interface AccountsWiring {
  readonly config: AppConfig;
  readonly events: IEventSink;
  readonly browser: IBrowserOpener;
  readonly rootSecrets: RootSecretService;
  readonly logger: Logger;
  /** Called after a disconnect with the connection's source id (the search cache forgets it). */
  readonly onDisconnect: (sourceId: string) => void;
}

/** Wires the session service and the connection manager over one Workstation session and token store client. */
export function createAccounts(wiring: AccountsWiring): Accounts {
  const { config, events, browser, rootSecrets, logger } = wiring;
  const settings = config.identity;
  const extraCa = settings?.extraCaPath ? readFileSync(settings.extraCaPath, 'utf8') : undefined;
  let connections: ConnectionManager | undefined;
  // Several changes often come together (connecting, connected, saved); announce them once.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const changed = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      events.emit('session:didChange', session.summary());
      void integrations().then(
        (list) => events.emit('integrations:didChange', list),
        (error: unknown) =>
          logger.warn(
            { code: isWorkstationError(error) ? error.code : 'unknown' },
            'integrations could not be listed',
          ),
      );
    }, 50);
  };

  let workstationSession: WorkstationSession | undefined;
  if (settings) {
    const identity: IdentityConfig = {
      authority: settings.authority,
      knownAuthorities: settings.knownAuthorities,
      protocolMode: settings.protocolMode,
      clientId: settings.clientId,
      network: createMsalNetworkClient({ extraCa }),
    };
    const current = new WorkstationSession({
      identity,
      storeScope: settings.tokenStoreScope,
      dataDir: config.dataDir,
      rootSecrets,
      logger,
      onChange: changed,
    });
    workstationSession = current;
    connections = new ConnectionManager({
      registry: integrationRegistry,
      session: current,
      store: new TokenStoreClient({
        baseUrl: settings.tokenStoreUrl,
        extraCa,
        getToken: () => current.getStoreToken(),
      }),
      environment: {
        identity,
        graphBaseUrl: settings.graphBaseUrl,
        integrationSettings: settings.integrations,
        ...(extraCa ? { extraCa } : {}),
      },
      policy: { extraOrigins: settings.extraOrgOrigins },
      list: new ConnectionListFile(join(config.dataDir, 'connections.json')),
      logger,
      onChange: changed,
      onDisconnect: wiring.onDisconnect,
    });
  }
  const session = new SessionService({
    mode: config.mode,
    session: workstationSession,
    rootSecrets,
    browser,
    onChange: changed,
    onSignOut: () => connections?.reset(),
  });

  async function integrations(): Promise<IntegrationList> {
    if (!connections) {
      return {
        integrations: integrationRegistry.map(({ info }) => ({
          id: info.id,
          name: info.name,
          description: info.description,
          capabilities: [...info.capabilities],
          availability: 'unavailable' as const,
          detail: 'Not configured: Workstation is not connected to a tenant yet.',
          connections: [],
        })),
      };
    }
    return { integrations: await connections.list() };
  }

  // The organisation's policy reaches the running app within seconds (disable, audience, revoke).
  const watch = connections
    ? startPolicyWatch({ poll: () => connections.pollPolicy(), logger })
    : undefined;

  return {
    session,
    connections,
    setVisible: (visible) => watch?.setVisible(visible),
    dispose: () => watch?.stop(),
    tasks: connections && new CrmTasks(connections),
    meetings: connections && new UpcomingMeetings(connections),
    integrations,
  };
}
