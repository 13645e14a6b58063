import { describe, expect, it } from 'vitest';
import { eventChannels, methodChannels } from './channels';
import { events, methods } from './contract';

describe('contract', () => {
  it('has exactly the channels the preload allow-lists', () => {
    expect(Object.keys(methods).sort()).toEqual([...methodChannels].sort());
    expect(Object.keys(events).sort()).toEqual([...eventChannels].sort());
  });

  it('names channels domain:verb and events domain:didX', () => {
    for (const name of methodChannels) expect(name).toMatch(/^[a-z]+:[a-z][A-Za-z]*$/);
    for (const name of eventChannels) expect(name).toMatch(/^[a-z]+:did[A-Z][A-Za-z]*$/);
  });

  it('refuses unknown keys and oversized search text', () => {
    expect(methods['settings:set'].input.safeParse({ theme: 'dark', extra: 1 }).success).toBe(
      false,
    );
    expect(
      methods['search:query'].input.safeParse({ queryId: 'q1', text: 'x'.repeat(201) }).success,
    ).toBe(false);
    expect(methods['search:query'].input.safeParse({ queryId: 'q 1', text: 'ok' }).success).toBe(
      false,
    );
    expect(
      methods['search:query'].input.safeParse({ queryId: 'q1', text: "O'Brien" }).success,
    ).toBe(true);
  });

  it('accepts real accelerators and refuses nonsense', () => {
    const hotkey = methods['settings:set'].input;
    expect(hotkey.safeParse({ hotkey: 'CommandOrControl+Shift+E' }).success).toBe(true);
    expect(hotkey.safeParse({ hotkey: 'Alt+Space' }).success).toBe(true);
    expect(hotkey.safeParse({ hotkey: 'E' }).success).toBe(false);
    expect(hotkey.safeParse({ hotkey: 'Shift+Shift' }).success).toBe(false);
  });
});
