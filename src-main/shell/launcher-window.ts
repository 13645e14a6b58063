import type { BrowserWindow, WebContents } from 'electron';
import { rendererPageUrl } from './app-protocol';
import type { ElectronApi } from './electron-api';
import { launcherWindowOptions } from './window-options';

/** Where the launcher's files are (the page itself comes from `app://workstation/`). */
export interface LauncherPaths {
  readonly preload: string;
}

/** What the launcher needs to know about its surroundings; tests pass their own. */
export interface LauncherEnvironment {
  readonly platform: NodeJS.Platform;
  /** Milliseconds, for telling a tray click from the blur it caused. */
  readonly now: () => number;
}

/**
 * On Windows a click on the tray icon first takes focus from the launcher (blur hides it), then
 * delivers the click; a click that arrives this soon after a blur-hide meant "close".
 */
const TRAY_CLICK_AFTER_BLUR_MS = 400;

/**
 * The launcher window, created hidden at start so the hotkey shows it instantly. It behaves like
 * a launcher: shown on the display under the cursor, focused, and hidden again on blur. The app-wide
 * guard (`installWebContentsGuard`) hardens its WebContents when Electron creates it.
 */
export class LauncherWindow {
  readonly window: BrowserWindow;
  #hiddenByBlurAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly electron: Pick<ElectronApi, 'BrowserWindow' | 'screen'>,
    paths: LauncherPaths,
    private readonly environment: LauncherEnvironment = {
      platform: process.platform,
      now: () => Date.now(),
    },
  ) {
    this.window = new electron.BrowserWindow(launcherWindowOptions(paths.preload));
    if (environment.platform === 'darwin') {
      // Over full-screen apps too, like Spotlight. The dock is already hidden (the app is a
      // UIElement), so the process-type switch, which flashes the window and dock, is skipped.
      // https://www.electronjs.org/docs/latest/api/browser-window#winsetvisibleonallworkspacesvisible-options-macos-linux
      this.window.setVisibleOnAllWorkspaces(true, {
        visibleOnFullScreen: true,
        skipTransformProcessType: true,
      });
    }
    this.window.on('blur', () => {
      if (this.window.isVisible()) this.#hiddenByBlurAt = this.environment.now();
      this.hide();
    });
    void this.window.loadURL(rendererPageUrl());
  }

  get webContents(): WebContents | undefined {
    return this.window.isDestroyed() ? undefined : this.window.webContents;
  }

  /** Shows the launcher in front, on the display where the user's pointer is. */
  show(): void {
    if (this.window.isDestroyed()) return;
    const cursor = this.electron.screen.getCursorScreenPoint();
    const { workArea } = this.electron.screen.getDisplayNearestPoint(cursor);
    const [width = 0, height = 0] = this.window.getSize();
    // A third of the way down reads as "in front of me" better than dead centre.
    this.window.setPosition(
      Math.round(workArea.x + (workArea.width - width) / 2),
      Math.round(workArea.y + (workArea.height - height) / 3),
    );
    this.window.show();
    this.window.focus();
    this.window.webContents.focus();
  }

  hide(): void {
    if (!this.window.isDestroyed() && this.window.isVisible()) this.window.hide();
  }

  /** The hotkey's action: hidden (or behind another window) → shown and focused; in front → hidden. */
  toggle(): void {
    if (this.window.isVisible() && this.window.isFocused()) this.hide();
    else this.show();
  }

  /** The tray icon's click: like the hotkey, but a click that just blurred the launcher closes it. */
  toggleFromTray(): void {
    const justHidden =
      !this.window.isVisible() &&
      this.environment.now() - this.#hiddenByBlurAt < TRAY_CLICK_AFTER_BLUR_MS;
    this.#hiddenByBlurAt = Number.NEGATIVE_INFINITY;
    if (justHidden) return;
    if (this.window.isVisible()) this.hide();
    else this.show();
  }

  /** Shows the launcher on Settings (a same-document fragment change; the renderer follows `#settings`). */
  showSettings(): void {
    void this.window.loadURL(rendererPageUrl('settings'));
    this.show();
  }
}
