import type { PaletteAction, PaletteItem } from './palette-item';
import { matchesShortcut, type KeyPress } from './shortcuts';

/** What a key press in the search box asks the palette to do. */
export type PaletteCommand =
  | { readonly kind: 'move'; readonly delta: number }
  | { readonly kind: 'run'; readonly action: PaletteAction }
  | { readonly kind: 'toggle_actions' }
  | { readonly kind: 'settings' }
  | { readonly kind: 'undo' };

/**
 * The search box's keyboard map (the README's "Using it" lists it): arrows and Page Up/Down move,
 * Enter runs the primary action, Ctrl/Cmd+K opens the actions, Ctrl/Cmd+, opens Settings,
 * Ctrl/Cmd+Z undoes a completion while its toast is up, and each action's own shortcut runs it.
 * Ctrl/Cmd+C copies the link only when no text is selected in the box (it copies the text then).
 */
export function paletteCommand(
  press: KeyPress,
  selected: PaletteItem | undefined,
  context: { readonly textSelected: boolean; readonly canUndo: boolean },
): PaletteCommand | undefined {
  const plain = !press.ctrlKey && !press.metaKey && !press.altKey && !press.shiftKey;
  if (plain && (press.key === 'ArrowDown' || press.key === 'ArrowUp'))
    return { kind: 'move', delta: press.key === 'ArrowDown' ? 1 : -1 };
  if (plain && (press.key === 'PageDown' || press.key === 'PageUp'))
    return { kind: 'move', delta: press.key === 'PageDown' ? 5 : -5 };
  if (matchesShortcut(press, { key: 'k', mod: true })) return { kind: 'toggle_actions' };
  if (matchesShortcut(press, { key: ',', mod: true })) return { kind: 'settings' };
  if (context.canUndo && matchesShortcut(press, { key: 'z', mod: true })) return { kind: 'undo' };
  if (!selected) return undefined;
  if (plain && press.key === 'Enter') {
    const primary = selected.actions[0];
    return primary ? { kind: 'run', action: primary } : undefined;
  }
  const action = selected.actions.find(
    (candidate) =>
      candidate.shortcut &&
      !(candidate.shortcut.key === 'Enter' && !candidate.shortcut.mod) &&
      matchesShortcut(press, candidate.shortcut),
  );
  if (!action) return undefined;
  const copiesLink = action.shortcut?.key === 'c' && !action.shortcut.shift;
  return copiesLink && context.textSelected ? undefined : { kind: 'run', action };
}
