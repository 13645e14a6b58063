import { useEffect, useState } from 'react';

/** The two top-level views; the Electron tray opens Settings with `#settings`. */
export type Route = 'launcher' | 'settings';

function readRoute(): Route {
  return new URLSearchParams(window.location.hash.slice(1)).has('settings') ||
    window.location.hash === '#settings'
    ? 'settings'
    : 'launcher';
}

/** Follows the URL fragment so the shell, the tray and the back button can switch views. */
export function useHashRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState<Route>(readRoute);
  useEffect(() => {
    const onChange = () => setRoute(readRoute());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return [route, (next) => (window.location.hash = next === 'settings' ? 'settings' : '')];
}
