import type { ElectronApi } from './electron-api';

/**
 * Owns the launcher's global shortcut. `globalShortcut.register` answers false (or throws on a
 * malformed accelerator) when another app holds the shortcut; that must reach the user, because a
 * silently dead hotkey is the most common launcher complaint.
 * https://www.electronjs.org/docs/latest/api/global-shortcut#globalshortcutregisteraccelerator-callback
 */
export class HotkeyManager {
  #current: string | undefined;
  #registered = false;

  constructor(
    private readonly globalShortcut: ElectronApi['globalShortcut'],
    private readonly onPress: () => void,
    private readonly onFailure: (accelerator: string) => void,
  ) {}

  /** Whether the current shortcut is registered. */
  get registered(): boolean {
    return this.#registered;
  }

  get current(): string | undefined {
    return this.#current;
  }

  /** Registers `accelerator` in place of the current one; tells the user when it cannot. */
  apply(accelerator: string): boolean {
    if (this.#current !== undefined && this.#registered)
      this.globalShortcut.unregister(this.#current);
    this.#current = accelerator;
    let registered: boolean;
    try {
      registered =
        this.globalShortcut.register(accelerator, this.onPress) &&
        this.globalShortcut.isRegistered(accelerator);
    } catch {
      registered = false;
    }
    this.#registered = registered;
    if (!registered) this.onFailure(accelerator);
    return registered;
  }

  /** Releases the shortcut (on quit). */
  dispose(): void {
    if (this.#current !== undefined && this.#registered)
      this.globalShortcut.unregister(this.#current);
    this.#registered = false;
  }
}

/** The message shown when the shortcut is taken. */
export function hotkeyFailureMessage(accelerator: string): string {
  const readable = accelerator.replace(
    'CommandOrControl',
    process.platform === 'darwin' ? 'Cmd' : 'Ctrl',
  );
  return `${readable} is used by another app, so it cannot open Workstation. Click the Workstation tray icon instead, or choose another shortcut in Settings > General.`;
}
