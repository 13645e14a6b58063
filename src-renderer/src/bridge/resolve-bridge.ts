import type { WorkstationBridge } from '../../../src-shared/contract';
import { createWebBridge } from './web-bridge';

const SECRET_KEY = 'workstation.webHostKey';

/** Why the renderer cannot talk to main; shown instead of the launcher. */
export interface BridgeUnavailable {
  readonly unavailable: string;
}

/**
 * Uses the preload's `window.workstation` in Electron; in a browser builds the web bridge from the
 * access key the web host printed in the URL fragment (kept in sessionStorage, then removed from
 * the address bar so it is not bookmarked or shared by accident).
 */
export function resolveBridge(win: Window = window): WorkstationBridge | BridgeUnavailable {
  if (win.workstation) return win.workstation;
  const fragment = new URLSearchParams(win.location.hash.slice(1));
  const fromUrl = fragment.get('k');
  if (fromUrl) {
    win.sessionStorage.setItem(SECRET_KEY, fromUrl);
    fragment.delete('k');
    const rest = fragment.toString();
    win.history.replaceState(
      null,
      '',
      `${win.location.pathname}${win.location.search}${rest ? `#${rest}` : ''}`,
    );
  }
  const secret = win.sessionStorage.getItem(SECRET_KEY);
  if (!secret) {
    return {
      unavailable:
        "Open Workstation with the address Workstation printed in its terminal when it started (it carries this session's access key).",
    };
  }
  const clientId = crypto.randomUUID().replaceAll('-', '');
  return createWebBridge({ baseUrl: win.location.origin, secret, clientId });
}
