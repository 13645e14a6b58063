import type { AppInfo } from '../../src-shared/domain/app-info';
import type { HandlerTable } from '../ipc/handler-table';
import type { AccountServices } from './account-services';
import type { SearchService } from '../search/search-service';
import type { SettingsStore } from '../settings/settings-store';

/** The services the contract's handlers delegate to. */
export interface HandlerServices {
  readonly appInfo: () => Promise<AppInfo>;
  readonly search: SearchService;
  readonly accounts: AccountServices;
  readonly openLink: (url: string) => Promise<{ opened: boolean; url: string }>;
  readonly hideLauncher: () => { hidden: boolean };
  readonly settings: SettingsStore;
}

/** Maps every contract method onto a service call; both transports share this one table. */
export function createHandlerTable(services: HandlerServices): HandlerTable {
  return {
    'app:info': () => services.appInfo(),
    'app:hide': () => services.hideLauncher(),
    'search:query': (input, context) => services.search.query(input.queryId, input.text, context.senderId),
    'search:cancel': (input) => services.search.cancel(input.queryId),
    'integrations:list': () => services.accounts.integrations(),
    'integrations:connect': (input) => services.accounts.connect(input.id, input.orgSubdomain),
    'integrations:disconnect': (input) => services.accounts.disconnect(input.id),
    'links:open': (input) => services.openLink(input.url),
    'tasks:list': () => services.accounts.tasks(),
    'tasks:complete': (input) => services.accounts.completeTask(input.id),
    'meetings:list': () => services.accounts.meetings(),
    'session:get': () => services.accounts.session(),
    'session:signIn': () => services.accounts.signIn(),
    'session:signOut': () => services.accounts.signOut(),
    'settings:get': () => services.settings.get(),
    'settings:set': (input) => services.settings.set(input),
  };
}
