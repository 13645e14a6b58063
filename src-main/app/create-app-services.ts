import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AppInfo } from '../../src-shared/domain/app-info';
import type { AppConfig } from '../config/app-config';
import { createDispatcher, type Dispatch } from '../ipc/dispatcher';
import { EventHub } from '../ipc/event-hub';
import type { IBrowserOpener } from '../auth/msal-client-config';
import { KeytarSecretStore } from '../secrets/keytar-secret-store';
import { RootSecretService } from '../secrets/root-secret-service';
import {
  keychainServiceNames,
  MemorySecretStore,
  type ISecretStore,
} from '../secrets/secret-store';
import { helpLinkHosts } from '../../src-shared/help-links';
import { checkOpenUrl } from '../links/link-guard';
import { createAccounts, type Accounts } from './create-accounts';
import { PlaceholderProvider } from '../search/placeholder-provider';
import { SearchService } from '../search/search-service';
import { SettingsStore } from '../settings/settings-store';
import { createHandlerTable } from './app-handlers';
import { WindowVisibility } from './window-visibility';

/** What the composition root hands to a transport (Electron IPC or the web host). */
export interface AppServices {
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  readonly settings: SettingsStore;
  readonly accounts: Accounts;
  /**
   * Opens a link through the link guard (the connections' hosts and the meeting services) and
   * then the host's browser; what `links:open` and a meeting reminder's Join both use.
   */
  openLink(raw: string): Promise<{ opened: boolean; url: string }>;
  /** Settles once the keychain was probed and a remembered session reopened. */
  readonly ready: Promise<void>;
  dispose(): Promise<void>;
}

/** Facts only the host knows (Electron or the web host), read when the renderer asks `app:info`. */
export interface HostFacts {
  readonly host: AppInfo['host'];
  readonly version: string;
  readonly hotkeyRegistered: () => boolean;
  /** Why the shortcut is not registered, when the host can say more than "taken". */
  readonly hotkeyProblem?: () => string | undefined;
  /** Hides the launcher window; absent in the web host. */
  readonly hideLauncher?: () => void;
  /** Opens sign-in and consent pages; absent in the web host, which asks the page to open a tab. */
  readonly openBrowser?: (url: string) => Promise<void>;
  /** Opens the log folder in the file manager; absent in the web host, which logs to its terminal. */
  readonly openLogFolder?: () => Promise<{ opened: boolean; path: string }>;
  /** Open at login as the organisation's policy sets it; Settings shows it and does not offer it. */
  readonly openAtLoginPolicy?: boolean;
}

/**
 * Wires main's plain Node services by hand (no container). Both composition roots, the Electron
 * shell and the web host, call this, so they serve the same services.
 */
export function createAppServices(config: AppConfig, host: HostFacts, logger: Logger): AppServices {
  const events = new EventHub(logger);
  const settings = new SettingsStore(join(config.dataDir, 'settings.json'), events, logger);
  const placeholder = new PlaceholderProvider();
  // Assigned below; the engine asks for providers only when a query runs.
  const ref: { accounts?: Accounts } = {};
  const search = new SearchService(
    {
      // Sample results only while the user has no connection at all: a connection that needs a
      // reconnect or was turned off answers with its own row, never with stand-in data.
      providers: async () => {
        const answer = await ref.accounts?.connections?.searchSources();
        return answer && answer.connections > 0 ? answer.sources : [placeholder];
      },
      userKey: () => ref.accounts?.session.summary().account?.username ?? '',
    },
    events,
    logger,
  );
  const browser: IBrowserOpener = {
    open: async (url, purpose) => {
      if (host.openBrowser) await host.openBrowser(url);
      else events.emit('auth:didRequestBrowser', { url, purpose });
    },
  };
  const keychain = (): ISecretStore => {
    try {
      return new KeytarSecretStore(keychainServiceNames[config.environment]);
    } catch {
      return new MemorySecretStore();
    }
  };
  const accounts = createAccounts({
    config,
    events,
    browser,
    rootSecrets: new RootSecretService(keychain(), logger),
    logger,
    onDisconnect: (sourceId) => search.clearCache(sourceId),
  });
  ref.accounts = accounts;
  // The only way a link reaches the browser: it passes the link guard first.
  const openLink = async (raw: string) => {
    const url = checkOpenUrl(raw, [
      ...((await accounts.connections?.linkHosts()) ?? []),
      ...helpLinkHosts,
    ]).toString();
    if (!host.openBrowser) return { opened: false, url };
    await host.openBrowser(url);
    return { opened: true, url };
  };
  const visibility = new WindowVisibility((anyVisible) => accounts.setVisible(anyVisible));
  const handlers = createHandlerTable({
    appInfo: async () => {
      const hotkeyProblem = host.hotkeyProblem?.();
      return {
        name: 'Workstation',
        version: host.version,
        host: host.host,
        platform: process.platform,
        mode: config.mode,
        hotkeyRegistered: host.hotkeyRegistered(),
        hotkey: (await settings.get()).hotkey,
        ...(hotkeyProblem ? { hotkeyProblem } : {}),
        ...(host.openAtLoginPolicy === undefined
          ? {}
          : { openAtLoginPolicy: host.openAtLoginPolicy }),
      };
    },
    search,
    accounts,
    settings,
    browser,
    openLogs: async () => (host.openLogFolder ? host.openLogFolder() : { opened: false }),
    hideLauncher: () => {
      host.hideLauncher?.();
      return { hidden: host.hideLauncher !== undefined };
    },
    openLink,
    reportVisibility: (senderId, visible) => visibility.report(senderId, visible),
  });

  return {
    dispatch: createDispatcher(handlers, logger),
    events,
    settings,
    accounts,
    openLink,
    ready: accounts.session.start(),
    dispose: async () => {
      search.dispose();
      accounts.dispose();
    },
  };
}
