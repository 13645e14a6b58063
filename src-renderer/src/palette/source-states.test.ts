import { describe, expect, it } from 'vitest';
import { sourceStateSchema, type SourceStatus } from '../../../src-shared/domain/search';
import { sourceStateView, sourceStateViews, sourceStateWords } from './source-states';

const status = (over: Partial<SourceStatus>): SourceStatus => ({
  source: 'salesforce:sandbox',
  label: 'Salesforce · sandbox',
  state: 'ok',
  ...over,
});

describe('source states', () => {
  it('have a view for every state the contract carries', () => {
    expect(Object.keys(sourceStateViews).sort()).toEqual([...sourceStateSchema.options].sort());
  });

  it('say what is wrong and what helps', () => {
    const now = 1_000_000;
    expect(sourceStateView('throttled').reason(status({ retryAt: now + 2500 }), now)).toMatch(
      /^Busy right now; Workstation asks again by itself at \d/,
    );
    expect(sourceStateView('timed_out').action).toBe('retry');
    expect(sourceStateView('not_enabled').action).toBeUndefined();
    expect(sourceStateView('needs_reconnect').action).toBe('reconnect');
    expect(sourceStateView('failed').action).toBe('retry');
    expect(sourceStateView('cached').reason(status({ ageMs: 120_000 }), now)).toBe('2 min old');
    expect(sourceStateView('ok').reason(status({ fallback: true }), now)).toMatch(/simpler/);
    expect(sourceStateWords(status({ state: 'needs_reconnect' }))).toBe(
      'Salesforce · sandbox needs reconnect',
    );
  });

  it('read a state this renderer does not know as failed, prototype names included', () => {
    expect(sourceStateView('constructor')).toBe(sourceStateViews.failed);
  });
});
