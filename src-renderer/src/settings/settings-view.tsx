import { useState } from 'react';
import { GeneralTab } from './general-tab';
import { IntegrationsTab } from './integrations-tab';

const tabs = [
  { id: 'integrations', label: 'Integrations' },
  { id: 'general', label: 'General' },
] as const;
type TabId = (typeof tabs)[number]['id'];

/** Settings, with Integrations first: connecting a service is what a new user comes here for. */
export function SettingsView({ onClose }: { readonly onClose: () => void }) {
  const [tab, setTab] = useState<TabId>('integrations');
  return (
    <main className="settings">
      <header className="settings-header">
        <h1>Settings</h1>
        <button type="button" className="text-button" onClick={onClose}>
          Back to search
        </button>
      </header>
      <div role="tablist" aria-label="Settings sections" className="tabs">
        {tabs.map((item) => (
          <button
            key={item.id}
            type="button"
            role="tab"
            id={`tab-${item.id}`}
            aria-selected={tab === item.id}
            aria-controls={`panel-${item.id}`}
            onClick={() => setTab(item.id)}
          >
            {item.label}
          </button>
        ))}
      </div>
      <section
        role="tabpanel"
        id={`panel-${tab}`}
        aria-labelledby={`tab-${tab}`}
        className="tab-panel"
      >
        {tab === 'integrations' ? <IntegrationsTab /> : <GeneralTab />}
      </section>
    </main>
  );
}
