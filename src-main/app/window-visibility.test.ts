import { describe, expect, it } from 'vitest';
import { WindowVisibility } from './window-visibility';

describe('WindowVisibility', () => {
  it('is shown while any window says so, and tells each change once', () => {
    const changes: boolean[] = [];
    const visibility = new WindowVisibility((anyVisible) => changes.push(anyVisible));
    expect(visibility.report('launcher', false)).toBe(false);
    expect(visibility.report('launcher', false)).toBe(false);
    expect(visibility.report('tab', true)).toBe(true);
    expect(visibility.report('launcher', true)).toBe(true);
    expect(visibility.report('tab', false)).toBe(true);
    expect(visibility.report('launcher', false)).toBe(false);
    expect(changes).toEqual([false, true, false]);
  });

  it('remembers a bounded number of windows, forgetting the one heard from longest ago', () => {
    const visibility = new WindowVisibility(() => undefined);
    visibility.report('first', true);
    for (let i = 0; i < 64; i += 1) visibility.report(`tab-${i}`, false);
    // "first" was forgotten: no window says it is shown.
    expect(visibility.report('tab-0', false)).toBe(false);
  });
});
