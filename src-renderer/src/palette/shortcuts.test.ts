import { describe, expect, it } from 'vitest';
import { ariaShortcut, matchesShortcut, shortcutLabel } from './shortcuts';

const press = (
  key: string,
  mods: Partial<Record<'ctrl' | 'meta' | 'shift' | 'alt', boolean>> = {},
) => ({
  key,
  ctrlKey: Boolean(mods.ctrl),
  metaKey: Boolean(mods.meta),
  shiftKey: Boolean(mods.shift),
  altKey: Boolean(mods.alt),
});

describe('shortcuts', () => {
  it('takes Ctrl or Cmd as the modifier and asks for exactly the modifiers named', () => {
    const copyEmail = { key: 'c', mod: true, shift: true };
    expect(matchesShortcut(press('C', { ctrl: true, shift: true }), copyEmail)).toBe(true);
    expect(matchesShortcut(press('c', { meta: true, shift: true }), copyEmail)).toBe(true);
    expect(matchesShortcut(press('c', { ctrl: true }), copyEmail)).toBe(false);
    expect(matchesShortcut(press('c', { ctrl: true, shift: true, alt: true }), copyEmail)).toBe(
      false,
    );
    expect(matchesShortcut(press('Enter'), { key: 'Enter' })).toBe(true);
    expect(matchesShortcut(press('Enter', { ctrl: true }), { key: 'Enter' })).toBe(false);
  });

  it('labels keycaps per platform, and for aria-keyshortcuts', () => {
    expect(shortcutLabel({ key: 'k', mod: true }, false)).toBe('Ctrl+K');
    expect(shortcutLabel({ key: 'c', mod: true, shift: true }, true)).toBe('⌘⇧C');
    expect(shortcutLabel({ key: 'Enter' }, false)).toBe('Enter');
    expect(ariaShortcut({ key: 'Enter', mod: true }, true)).toBe('Meta+Enter');
    expect(ariaShortcut({ key: 'k', mod: true }, false)).toBe('Control+K');
  });
});
