import { useEffect } from 'react';
import { LauncherView } from '../search/launcher-view';
import { SettingsView } from '../settings/settings-view';
import { useSlice, useStores } from './stores-context';
import { useHashRoute } from './use-hash-route';
import { useVisibilityReport } from './use-visibility-report';

/** The whole renderer: the launcher, or Settings. */
export function App() {
  const { settings, client } = useStores();
  const theme = useSlice(settings, (state) => state.settings.theme);
  const [route, navigate] = useHashRoute();
  useVisibilityReport(client);

  useEffect(() => {
    void settings.getState().load();
  }, [settings]);

  useEffect(() => {
    // `system` follows the OS, live; light and dark force it. CSS only knows data-theme.
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      document.documentElement.dataset.theme =
        theme === 'system' ? (media.matches ? 'dark' : 'light') : theme;
      document.documentElement.dataset.themeSetting = theme;
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);

  return (
    <div className="app">
      {route === 'settings' ? (
        <SettingsView onClose={() => navigate('launcher')} />
      ) : (
        <LauncherView onOpenSettings={() => navigate('settings')} />
      )}
    </div>
  );
}
