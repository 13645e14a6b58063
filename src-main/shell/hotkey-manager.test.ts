import { describe, expect, it } from 'vitest';
import { DEFAULT_HOTKEY } from '../../src-shared/domain/settings';
import { HotkeyManager, hotkeyFailureMessage } from './hotkey-manager';
import { createFakeElectron } from './test/fake-electron';

describe('HotkeyManager', () => {
  it('registers CommandOrControl+Shift+E by default and calls back on press', () => {
    expect(DEFAULT_HOTKEY).toBe('CommandOrControl+Shift+E');
    const { electron, globalShortcut } = createFakeElectron();
    let presses = 0;
    const manager = new HotkeyManager(
      electron.globalShortcut,
      () => (presses += 1),
      () => undefined,
    );
    expect(manager.apply(DEFAULT_HOTKEY)).toBe(true);
    expect([...globalShortcut.registered.keys()]).toEqual(['CommandOrControl+Shift+E']);
    globalShortcut.registered.get('CommandOrControl+Shift+E')?.();
    expect(presses).toBe(1);
  });

  it('reports a taken shortcut instead of failing silently', () => {
    const { electron } = createFakeElectron({ shortcutFree: false });
    const failures: string[] = [];
    const manager = new HotkeyManager(
      electron.globalShortcut,
      () => undefined,
      (accelerator) => failures.push(accelerator),
    );
    expect(manager.apply(DEFAULT_HOTKEY)).toBe(false);
    expect(manager.registered).toBe(false);
    expect(failures).toEqual([DEFAULT_HOTKEY]);
    expect(hotkeyFailureMessage(DEFAULT_HOTKEY)).toMatch(
      /used by another app.*tray icon.*Settings > General/,
    );
  });

  it('treats a throwing register (malformed accelerator) as a failure', () => {
    const { electron } = createFakeElectron();
    const throwing = {
      ...electron.globalShortcut,
      register: () => {
        throw new Error('bad accelerator');
      },
    };
    const failures: string[] = [];
    const manager = new HotkeyManager(
      throwing as typeof electron.globalShortcut,
      () => undefined,
      (accelerator) => failures.push(accelerator),
    );
    expect(manager.apply('Nope+')).toBe(false);
    expect(failures).toEqual(['Nope+']);
  });

  it('swaps shortcuts, releasing the old one, and releases on dispose', () => {
    const { electron, globalShortcut } = createFakeElectron();
    const manager = new HotkeyManager(
      electron.globalShortcut,
      () => undefined,
      () => undefined,
    );
    manager.apply(DEFAULT_HOTKEY);
    manager.apply('Alt+Space');
    expect([...globalShortcut.registered.keys()]).toEqual(['Alt+Space']);
    manager.dispose();
    expect(globalShortcut.registered.size).toBe(0);
  });
});
