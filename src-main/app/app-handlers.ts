import type { AppInfo } from '../../src-shared/domain/app-info';
import type { HandlerTable } from '../ipc/handler-table';
import { workstationError } from '../../src-shared/errors';
import type { Accounts } from './create-accounts';
import type { SearchService } from '../search/search-service';
import type { SettingsStore } from '../settings/settings-store';
import type { IBrowserOpener } from '../auth/msal-client-config';

/** The services the contract's handlers delegate to. */
export interface HandlerServices {
  readonly appInfo: () => Promise<AppInfo>;
  readonly search: SearchService;
  readonly accounts: Accounts;
  readonly openLink: (url: string) => Promise<{ opened: boolean; url: string }>;
  readonly hideLauncher: () => { hidden: boolean };
  readonly openLogs: () => Promise<{ opened: boolean; path?: string }>;
  /** A window says whether it is shown; answers whether any window is. */
  readonly reportVisibility: (senderId: string, visible: boolean) => boolean;
  readonly settings: SettingsStore;
  /** Opens consent pages (the system browser, or a tab of the web host's page). */
  readonly browser: IBrowserOpener;
}

const notConfigured = () =>
  workstationError(
    'unavailable',
    'Workstation is not connected to a Microsoft tenant yet. See the README, "Point it at your tenant".',
  );
const notConfiguredTasks = () => ({
  tasks: [],
  status: { state: 'not_connected' as const, message: notConfigured().message },
});

/** Maps every contract method onto a service call; both transports share this one table. */
export function createHandlerTable(services: HandlerServices): HandlerTable {
  const connections = () => {
    if (!services.accounts.connections) throw notConfigured();
    return services.accounts.connections;
  };
  return {
    'app:info': () => services.appInfo(),
    'app:hide': () => services.hideLauncher(),
    'app:openLogs': () => services.openLogs(),
    'app:visibility': (input, context) => ({
      anyVisible: services.reportVisibility(context.senderId, input.visible),
    }),
    'search:query': (input, context) =>
      services.search.query(input.queryId, input.text, context.senderId, input.refresh),
    'search:cancel': (input) => services.search.cancel(input.queryId),
    'integrations:list': () => services.accounts.integrations(),
    'integrations:connect': async (input) => {
      await connections().startConnect(input.id, services.browser, {
        ...(input.connectionId ? { connectionId: input.connectionId } : {}),
        ...(input.fields ? { fields: input.fields } : {}),
      });
      return services.accounts.integrations();
    },
    'integrations:cancelConnect': async (input) => {
      connections().cancelConnect(input.id, input.connectionId);
      return services.accounts.integrations();
    },
    'integrations:disconnect': async (input) => {
      await connections().disconnect(input.id, input.connectionId);
      return services.accounts.integrations();
    },
    'links:open': (input) => services.openLink(input.url),
    'tasks:list': () => services.accounts.tasks?.list() ?? notConfiguredTasks(),
    'tasks:complete': (input) => {
      if (!services.accounts.tasks) throw notConfigured();
      return services.accounts.tasks.complete(input.id);
    },
    'meetings:list': () =>
      services.accounts.meetings?.list() ?? {
        meetings: [],
        allDay: [],
        status: { state: 'not_connected' as const, message: notConfigured().message },
      },
    'session:get': () => services.accounts.session.summary(),
    'session:signIn': () => services.accounts.session.signIn(),
    'session:signOut': () => services.accounts.session.signOut(),
    'settings:get': () => services.settings.get(),
    'settings:set': (input) => services.settings.set(input),
  };
}
