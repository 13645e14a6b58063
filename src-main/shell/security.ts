import type { Session, WebContents } from 'electron';
import { RENDERER_CSP } from '../web-host/content-security-policy';

/** Whether a URL is one of our own renderer pages (the built index.html, any fragment). */
export function isOwnPage(url: string, rendererUrl: string): boolean {
  try {
    const target = new URL(url);
    const own = new URL(rendererUrl);
    return (
      target.protocol === own.protocol &&
      target.host === own.host &&
      target.pathname === own.pathname
    );
  } catch {
    return false;
  }
}

/**
 * Keeps a window on our page: no new windows, no navigation or redirect elsewhere, no webviews.
 * Links the user opens go through main's link guard instead.
 */
export function hardenWebContents(contents: WebContents, rendererUrl: string): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isOwnPage(url, rendererUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isOwnPage(url, rendererUrl)) event.preventDefault();
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
