import type { App } from 'electron';

/** Whether this is a Linux desktop session under Wayland (X11 apps may still run beside it). */
export function isWaylandSession(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): boolean {
  return platform === 'linux' && (env.XDG_SESSION_TYPE === 'wayland' || !!env.WAYLAND_DISPLAY);
}

/**
 * Under Wayland an app cannot grab keys itself; Chromium asks the compositor through the
 * xdg-desktop-portal GlobalShortcuts interface once the feature is on. Must run before `ready`.
 * https://www.electronjs.org/docs/latest/api/global-shortcut
 * https://flatpak.github.io/xdg-desktop-portal/docs/doc-org.freedesktop.portal.GlobalShortcuts.html
 */
export function enableWaylandShortcuts(
  app: Pick<App, 'commandLine'>,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (!isWaylandSession(env, platform)) return false;
  app.commandLine.appendSwitch('enable-features', 'GlobalShortcutsPortal');
  return true;
}

/** What Settings says when the compositor did not grant the shortcut. */
export function waylandShortcutProblem(accelerator: string): string {
  return `Your desktop (Wayland) did not allow ${accelerator} as a global shortcut. Allow Workstation in your system's keyboard shortcut settings, or click the Workstation tray icon.`;
}
