import type { BrowserWindow, WebContents } from 'electron';
import { pathToFileURL } from 'node:url';
import type { ElectronApi } from './electron-api';
import { applySessionPolicy, hardenWebContents } from './security';
import { launcherWindowOptions } from './window-options';

/** Where the launcher's files are. */
export interface LauncherPaths {
  readonly preload: string;
  readonly indexHtml: string;
}

/**
 * The launcher window, created hidden at start so the hotkey shows it instantly. It behaves like
 * a launcher: shown on the display under the cursor, focused, and hidden again on blur.
 */
export class LauncherWindow {
  readonly window: BrowserWindow;
  readonly rendererUrl: string;

  constructor(
    private readonly electron: Pick<ElectronApi, 'BrowserWindow' | 'screen'>,
    private readonly paths: LauncherPaths,
  ) {
    this.rendererUrl = pathToFileURL(paths.indexHtml).href;
    this.window = new electron.BrowserWindow(launcherWindowOptions(paths.preload));
    hardenWebContents(this.window.webContents, this.rendererUrl);
    applySessionPolicy(this.window.webContents.session);
    this.window.on('blur', () => this.hide());
    void this.window.loadFile(paths.indexHtml);
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

  /** Shows the launcher on Settings (a same-document fragment change; the renderer follows `#settings`). */
  showSettings(): void {
    void this.window.loadFile(this.paths.indexHtml, { hash: 'settings' });
    this.show();
  }
}
