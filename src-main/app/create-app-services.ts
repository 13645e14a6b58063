import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AppInfo } from '../../src-shared/domain/app-info';
import type { AppConfig } from '../config/app-config';
import { createDispatcher, type Dispatch } from '../ipc/dispatcher';
import { EventHub } from '../ipc/event-hub';
import { IntegrationCatalog } from '../integrations/integration-catalog';
import { PlaceholderProvider } from '../search/placeholder-provider';
import { SearchService } from '../search/search-service';
import { SettingsStore } from '../settings/settings-store';
import { createHandlerTable } from './app-handlers';

/** What the composition root hands to a transport (Electron IPC or the web host). */
export interface AppServices {
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  readonly settings: SettingsStore;
  dispose(): Promise<void>;
}

/** Facts only the host knows (Electron or the web host), read when the renderer asks `app:info`. */
export interface HostFacts {
  readonly host: AppInfo['host'];
  readonly version: string;
  readonly hotkeyRegistered: () => boolean;
}

/**
 * Wires main's plain Node services by hand (no container). Both composition roots, the Electron
 * shell and the web host, call this, so they serve the same services.
 */
export function createAppServices(config: AppConfig, host: HostFacts, logger: Logger): AppServices {
  const events = new EventHub(logger);
  const settings = new SettingsStore(join(config.dataDir, 'settings.json'), events, logger);
  const placeholder = new PlaceholderProvider();
  const search = new SearchService(() => [placeholder], events, logger);
  const integrations = new IntegrationCatalog();
  const handlers = createHandlerTable({
    appInfo: async () => ({
      name: 'Workstation',
      version: host.version,
      host: host.host,
      platform: process.platform,
      mode: config.mode,
      hotkeyRegistered: host.hotkeyRegistered(),
      hotkey: (await settings.get()).hotkey,
    }),
    search,
    integrations,
    settings,
  });

  return {
    dispatch: createDispatcher(handlers, logger),
    events,
    settings,
    dispose: async () => search.dispose(),
  };
}
