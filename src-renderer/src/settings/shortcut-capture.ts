import { acceleratorSchema } from '../../../src-shared/domain/settings';

/** The parts of a KeyboardEvent a shortcut is made of. */
export interface KeyPress {
  readonly code: string;
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

/** What a key press means while the shortcut field listens. */
export type Capture =
  | { readonly kind: 'shortcut'; readonly accelerator: string }
  /** Only modifiers so far, or a key that needs one: keep listening. */
  | { readonly kind: 'waiting'; readonly hint: string }
  | { readonly kind: 'cancel' };

/**
 * Named keys by their physical position (`KeyboardEvent.code`), so the shortcut does not depend on
 * the keyboard layout; spelled as Electron accelerators spell them.
 * https://developer.mozilla.org/en-US/docs/Web/API/UI_Events/Keyboard_event_code_values
 * https://www.electronjs.org/docs/latest/api/accelerator#available-key-codes
 */
const namedKeys: Record<string, string> = {
  Space: 'Space',
  Enter: 'Enter',
  Tab: 'Tab',
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  Backquote: '`',
  Minus: '-',
  Equal: '=',
  BracketLeft: '[',
  BracketRight: ']',
  Semicolon: ';',
  Quote: "'",
  Comma: ',',
  Period: '.',
  Slash: '/',
};

function keyName(code: string): string | undefined {
  const letter = /^Key([A-Z])$/.exec(code);
  if (letter) return letter[1];
  const digit = /^(?:Digit|Numpad)([0-9])$/.exec(code);
  if (digit) return digit[1];
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(code)) return code;
  return namedKeys[code];
}

/**
 * Turns the keys the user pressed into an Electron accelerator. The platform's primary modifier
 * (Cmd on macOS, Ctrl elsewhere) becomes `CommandOrControl`, so a saved shortcut means the same
 * thing on the user's other computers. Escape cancels; a key without a modifier keeps listening.
 */
export function captureShortcut(press: KeyPress, platform: string): Capture {
  if (press.key === 'Escape' && !press.ctrlKey && !press.metaKey && !press.altKey)
    return { kind: 'cancel' };
  const mac = platform === 'darwin';
  const modifiers = [
    (mac ? press.metaKey : press.ctrlKey) ? 'CommandOrControl' : undefined,
    mac && press.ctrlKey ? 'Control' : undefined,
    !mac && press.metaKey ? 'Super' : undefined,
    press.altKey ? 'Alt' : undefined,
    press.shiftKey ? 'Shift' : undefined,
  ].filter((modifier) => modifier !== undefined);
  const key = keyName(press.code);
  if (!key || modifiers.length === 0)
    return {
      kind: 'waiting',
      hint:
        modifiers.length === 0
          ? 'Hold a modifier (Ctrl, Alt, Shift' + (mac ? ', Cmd' : '') + ') and press a key.'
          : 'Now press a letter, digit, F-key or Space.',
    };
  const accelerator = [...modifiers, key].join('+');
  return acceleratorSchema.safeParse(accelerator).success
    ? { kind: 'shortcut', accelerator }
    : { kind: 'waiting', hint: 'That key cannot be part of a shortcut.' };
}

/** How an accelerator reads for this platform's user: `Ctrl+Shift+E`, or `⌘⇧E` on macOS. */
export function displayShortcut(accelerator: string, platform: string): string {
  const mac = platform === 'darwin';
  const names: Record<string, string> = mac
    ? {
        CommandOrControl: '⌘',
        CmdOrCtrl: '⌘',
        Command: '⌘',
        Cmd: '⌘',
        Control: '⌃',
        Ctrl: '⌃',
        Alt: '⌥',
        Option: '⌥',
        Shift: '⇧',
      }
    : { CommandOrControl: 'Ctrl', CmdOrCtrl: 'Ctrl', Control: 'Ctrl', Super: 'Win', Meta: 'Win' };
  const parts = accelerator.split('+').map((part) => names[part] ?? part);
  return parts.join(mac ? '' : '+');
}
