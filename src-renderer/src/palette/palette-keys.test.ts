import { describe, expect, it } from 'vitest';
import { taskActions } from './home-items';
import type { PaletteItem } from './palette-item';
import { paletteCommand } from './palette-keys';

const press = (key: string, mods: { ctrl?: boolean; shift?: boolean; meta?: boolean } = {}) => ({
  key,
  ctrlKey: Boolean(mods.ctrl),
  metaKey: Boolean(mods.meta),
  shiftKey: Boolean(mods.shift),
  altKey: false,
});
const task: PaletteItem = {
  key: 'task:1',
  icon: 'task',
  title: 'Call Seán',
  subtitle: '',
  actions: taskActions({
    id: '1',
    source: 'dynamics:contoso',
    sourceLabel: 'Dynamics 365 · contoso',
    subject: 'Call Seán',
    overdue: false,
    priority: 'normal',
    url: 'https://contoso.crm4.dynamics.com/main.aspx?id=1',
  }),
};
const free = { textSelected: false, canUndo: false };

describe('palette keyboard map', () => {
  it('moves with the arrows and Page keys, runs the primary action on Enter', () => {
    expect(paletteCommand(press('ArrowDown'), task, free)).toEqual({ kind: 'move', delta: 1 });
    expect(paletteCommand(press('PageUp'), task, free)).toEqual({ kind: 'move', delta: -5 });
    expect(paletteCommand(press('Enter'), task, free)).toMatchObject({
      kind: 'run',
      action: { label: 'Open in Dynamics 365' },
    });
  });

  it('runs an action by its own shortcut: Ctrl+Enter or Cmd+Enter completes a task', () => {
    expect(paletteCommand(press('Enter', { ctrl: true }), task, free)).toMatchObject({
      kind: 'run',
      action: { id: 'complete' },
    });
    expect(paletteCommand(press('Enter', { meta: true }), task, free)).toMatchObject({
      action: { id: 'complete' },
    });
    expect(paletteCommand(press('k', { ctrl: true }), task, free)).toEqual({
      kind: 'toggle_actions',
    });
  });

  it('leaves Ctrl+C to the text box while text is selected there, and Ctrl+Z unless an undo is pending', () => {
    expect(paletteCommand(press('c', { ctrl: true }), task, free)).toMatchObject({
      action: { id: 'copy-link' },
    });
    expect(
      paletteCommand(press('c', { ctrl: true }), task, { textSelected: true, canUndo: false }),
    ).toBeUndefined();
    expect(paletteCommand(press('z', { ctrl: true }), task, free)).toBeUndefined();
    expect(
      paletteCommand(press('z', { ctrl: true }), task, { textSelected: false, canUndo: true }),
    ).toEqual({ kind: 'undo' });
    expect(paletteCommand(press('x'), task, free)).toBeUndefined();
    expect(paletteCommand(press('Enter'), undefined, free)).toBeUndefined();
  });
});
