import { useEffect } from 'react';
import { LauncherView } from '../search/launcher-view';
import { SettingsView } from '../settings/settings-view';
import { useSlice, useStores } from './stores-context';
import { useHashRoute } from './use-hash-route';

/** The whole renderer: the launcher, or Settings. */
export function App() {
  const { settings } = useStores();
  const theme = useSlice(settings, (state) => state.settings.theme);
  const [route, navigate] = useHashRoute();

  useEffect(() => {
    void settings.getState().load();
  }, [settings]);

  useEffect(() => {
    // `system` leaves the choice to CSS (prefers-color-scheme); light/dark force it.
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  return (
    <div className="app">
      {route === 'settings' ? <SettingsView onClose={() => navigate('launcher')} /> : <LauncherView onOpenSettings={() => navigate('settings')} />}
    </div>
  );
}
