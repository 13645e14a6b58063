import { useEffect } from 'react';
import type { WorkstationClient } from '../bridge/workstation-client';

/**
 * Tells main whether this window is shown (the page's visibilityState: a background tab is
 * `hidden`, https://developer.mozilla.org/docs/Web/API/Document/visibilityState, and so is a hidden
 * or minimized Electron window, https://www.electronjs.org/docs/latest/api/browser-window#page-visibility),
 * at load and on each change: main asks the organisation's policy less often while every window
 * is hidden, and at once when one is shown again.
 */
export function useVisibilityReport(client: WorkstationClient): void {
  useEffect(() => {
    const report = () =>
      void client
        .call('app:visibility', { visible: document.visibilityState === 'visible' })
        .catch(() => undefined);
    report();
    document.addEventListener('visibilitychange', report);
    return () => document.removeEventListener('visibilitychange', report);
  }, [client]);
}
