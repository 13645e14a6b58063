import { describe, expect, it } from 'vitest';
import { acceleratorSchema } from '../../../src-shared/domain/settings';
import { captureShortcut, displayShortcut, type KeyPress } from './shortcut-capture';

const press = (code: string, key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  code,
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('shortcut capture', () => {
  it('turns Ctrl+Shift+E (Windows, Linux) and Cmd+Shift+E (macOS) into the same accelerator', () => {
    const expected = { kind: 'shortcut', accelerator: 'CommandOrControl+Shift+E' };
    expect(captureShortcut(press('KeyE', 'E', { ctrlKey: true, shiftKey: true }), 'win32')).toEqual(
      expected,
    );
    expect(
      captureShortcut(press('KeyE', 'E', { metaKey: true, shiftKey: true }), 'darwin'),
    ).toEqual(expected);
  });

  it('reads the physical key, not the layout character (AZERTY, Alt-composed characters)', () => {
    // On AZERTY the key at KeyQ's position types "a"; with Alt on macOS "e" becomes "´".
    expect(captureShortcut(press('KeyQ', 'a', { altKey: true, shiftKey: true }), 'linux')).toEqual({
      kind: 'shortcut',
      accelerator: 'Alt+Shift+Q',
    });
    expect(captureShortcut(press('Space', ' ', { altKey: true }), 'darwin')).toEqual({
      kind: 'shortcut',
      accelerator: 'Alt+Space',
    });
    expect(captureShortcut(press('F5', 'F5', { ctrlKey: true }), 'linux')).toMatchObject({
      accelerator: 'CommandOrControl+F5',
    });
    expect(
      captureShortcut(press('Digit1', '!', { ctrlKey: true, shiftKey: true }), 'linux'),
    ).toMatchObject({
      accelerator: 'CommandOrControl+Shift+1',
    });
  });

  it('maps the other modifiers: Control on macOS, Super elsewhere', () => {
    expect(captureShortcut(press('KeyK', 'k', { ctrlKey: true }), 'darwin')).toMatchObject({
      accelerator: 'Control+K',
    });
    expect(captureShortcut(press('KeyK', 'k', { metaKey: true }), 'linux')).toMatchObject({
      accelerator: 'Super+K',
    });
  });

  it('keeps listening on modifiers alone or a bare key, and cancels on Escape', () => {
    expect(
      captureShortcut(press('ControlLeft', 'Control', { ctrlKey: true }), 'linux'),
    ).toMatchObject({
      kind: 'waiting',
    });
    expect(captureShortcut(press('KeyE', 'e'), 'linux')).toMatchObject({ kind: 'waiting' });
    expect(captureShortcut(press('Backslash', '\\', { ctrlKey: true }), 'linux')).toMatchObject({
      kind: 'waiting',
    });
    expect(captureShortcut(press('Escape', 'Escape'), 'linux')).toEqual({ kind: 'cancel' });
  });

  it('captures only accelerators main will accept', () => {
    const codes = ['KeyA', 'KeyZ', 'Digit0', 'F24', 'Enter', 'Tab', 'ArrowUp', 'Slash', 'Quote'];
    for (const code of codes) {
      const capture = captureShortcut(press(code, '', { altKey: true, ctrlKey: true }), 'linux');
      expect(capture.kind).toBe('shortcut');
      if (capture.kind === 'shortcut')
        expect(acceleratorSchema.safeParse(capture.accelerator).success).toBe(true);
    }
  });

  it('shows a shortcut the way the platform writes it', () => {
    expect(displayShortcut('CommandOrControl+Shift+E', 'win32')).toBe('Ctrl+Shift+E');
    expect(displayShortcut('CommandOrControl+Shift+E', 'darwin')).toBe('⌘⇧E');
    expect(displayShortcut('Alt+Space', 'linux')).toBe('Alt+Space');
  });
});
