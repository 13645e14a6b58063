/** A key with Ctrl (Cmd on a Mac) and maybe Shift: how an action is run from the keyboard. */
export interface Shortcut {
  /** `KeyboardEvent.key`, compared case-insensitively (`Enter`, `k`). */
  readonly key: string;
  /** Ctrl on Windows and Linux, Cmd on a Mac. */
  readonly mod?: boolean;
  readonly shift?: boolean;
}

/** The modifier keys of a keyboard event, as much of it as matching needs. */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/** Whether `press` is `shortcut`: the same key, and exactly the modifiers it names. */
export function matchesShortcut(press: KeyPress, shortcut: Shortcut): boolean {
  const mod = press.ctrlKey || press.metaKey;
  return (
    press.key.toLowerCase() === shortcut.key.toLowerCase() &&
    mod === Boolean(shortcut.mod) &&
    press.shiftKey === Boolean(shortcut.shift) &&
    !press.altKey
  );
}

/** Whether this computer is a Mac, where the modifier is Cmd. */
export function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
}

const keyName = (key: string) => (key.length === 1 ? key.toUpperCase() : key);

/** What a keycap says: "Ctrl+Shift+C" on Windows and Linux, "⌘⇧C" on a Mac. */
export function shortcutLabel(shortcut: Shortcut, mac = isMac()): string {
  if (mac)
    return `${shortcut.mod ? '⌘' : ''}${shortcut.shift ? '⇧' : ''}${shortcut.key === 'Enter' ? '↩' : keyName(shortcut.key)}`;
  return [shortcut.mod ? 'Ctrl' : '', shortcut.shift ? 'Shift' : '', keyName(shortcut.key)]
    .filter(Boolean)
    .join('+');
}

/** The same shortcut in `aria-keyshortcuts` syntax (https://www.w3.org/TR/wai-aria-1.2/#aria-keyshortcuts). */
export function ariaShortcut(shortcut: Shortcut, mac = isMac()): string {
  return [
    shortcut.mod ? (mac ? 'Meta' : 'Control') : '',
    shortcut.shift ? 'Shift' : '',
    keyName(shortcut.key),
  ]
    .filter(Boolean)
    .join('+');
}
