import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { workstationError } from '../../src-shared/errors';
import { createDispatcher } from './dispatcher';
import { fixtureHandlers } from './test/handler-table-fixture';

const logger = pino({ level: 'silent' });
const context = { senderId: 'test' };

const table = fixtureHandlers;

describe('dispatcher', () => {
  it('rejects invalid input with invalid_input before the handler runs', async () => {
    const handler = vi.fn();
    const dispatch = createDispatcher(table({ 'search:query': handler }), logger);
    const result = await dispatch('search:query', { queryId: 'bad id!', text: 42 }, context);
    expect(handler).not.toHaveBeenCalled();
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', retryable: false } });
    if (!result.ok)
      expect(result.error.issues?.map((issue) => issue.path)).toEqual(['queryId', 'text']);
  });

  it('answers unknown channels with unknown_method', async () => {
    const dispatch = createDispatcher(table(), logger);
    expect(await dispatch('shell:exec', {}, context)).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
    expect(await dispatch({ toString: () => 'app:info' }, {}, context)).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
  });

  it('passes typed errors through as data and hides unexpected ones', async () => {
    const dispatch = createDispatcher(
      table({
        'integrations:list': () => {
          throw workstationError('needs_reconnect', 'Reconnect Dynamics 365.');
        },
        'settings:get': () => {
          throw new Error('ECONNREFUSED with Bearer abcdefghijklmnop');
        },
      }),
      logger,
    );
    expect(await dispatch('integrations:list', {}, context)).toEqual({
      ok: false,
      error: { code: 'needs_reconnect', message: 'Reconnect Dynamics 365.', retryable: false },
    });
    const hidden = await dispatch('settings:get', {}, context);
    expect(hidden).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(hidden)).not.toContain('Bearer');
  });

  it('strips fields the contract does not name from answers', async () => {
    const dispatch = createDispatcher(
      table({
        'settings:get': () => ({
          theme: 'dark',
          hotkey: 'Alt+Space',
          openAtLogin: false,
          meetingReminders: true,
          accessToken: 'eyJ.secret',
        }),
      }),
      logger,
    );
    expect(await dispatch('settings:get', {}, context)).toEqual({
      ok: true,
      value: { theme: 'dark', hotkey: 'Alt+Space', openAtLogin: false, meetingReminders: true },
    });
  });

  it('refuses an answer outside the contract rather than forwarding it', async () => {
    const dispatch = createDispatcher(table({ 'settings:get': () => ({ theme: 'neon' }) }), logger);
    expect(await dispatch('settings:get', {}, context)).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
  });
});
