import type { App, Session, WebContents } from 'electron';
import { RENDERER_CSP } from '../web-host/content-security-policy';
import { isAppOrigin } from '../../src-shared/app-origin';

/**
 * Keeps a WebContents on our origin: no new windows, no navigation or redirect elsewhere, no
 * webviews. Links the user opens go through main's link guard instead.
 * https://www.electronjs.org/docs/latest/tutorial/security#13-disable-or-limit-navigation
 */
export function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppOrigin(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppOrigin(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Denies every permission request and sets the strict CSP on every response of the session. */
export function applySessionPolicy(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] },
    });
  });
}

/**
 * The app-wide guard: every WebContents Electron creates (the launcher's, and any a future window,
 * devtools or webview would bring) is hardened the moment it exists, and its session denies
 * permissions, so no window can forget it. Install before the first window.
 * https://www.electronjs.org/docs/latest/tutorial/security#14-disable-or-limit-creation-of-new-windows
 */
export function installWebContentsGuard(app: Pick<App, 'on'>): void {
  const sessions = new WeakSet<Session>();
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents);
    if (!sessions.has(contents.session)) {
      sessions.add(contents.session);
      applySessionPolicy(contents.session);
    }
  });
}
