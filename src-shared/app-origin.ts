/**
 * The desktop app's renderer origin, `app://workstation`: the shell serves the renderer there and
 * trusts IPC only from it; the preload exposes the bridge only there.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'workstation';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * Whether a URL is on the renderer's origin (scheme and host; any path or fragment). URL answers
 * `origin === 'null'` for schemes it does not know, so scheme and host are compared.
 */
export function isAppOrigin(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}
