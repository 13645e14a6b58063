import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { StoresContext, type Stores } from './app/stores-context';
import { BrowserRequests } from './bridge/browser-requests';
import { resolveBridge } from './bridge/resolve-bridge';
import { createWorkstationClient } from './bridge/workstation-client';
import { createSearchStore } from './search/search-store';
import { createIntegrationsStore } from './settings/integrations-store';
import { createSessionStore } from './settings/session-store';
import { createSettingsStore } from './settings/settings-store';
import { createMeetingsStore } from './widgets/meetings-store';
import { createTasksStore } from './widgets/tasks-store';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
const bridge = resolveBridge();

if ('unavailable' in bridge) {
  root.render(
    <main className="unavailable">
      <h1>Workstation</h1>
      <p role="alert">{bridge.unavailable}</p>
    </main>,
  );
} else {
  const client = createWorkstationClient(bridge);
  const stores: Stores = {
    client,
    search: createSearchStore(client),
    integrations: createIntegrationsStore(client),
    settings: createSettingsStore(client),
    session: createSessionStore(client),
    browser: new BrowserRequests(client),
    tasks: createTasksStore(client),
    meetings: createMeetingsStore(client),
  };
  root.render(
    <StrictMode>
      <StoresContext.Provider value={stores}>
        <App />
      </StoresContext.Provider>
    </StrictMode>,
  );
}
