import { describe, expect, it } from 'vitest';
import { integrationStateSchema } from '../../../src-shared/domain/integrations';
import { connectionActions, connectionName, describeState } from './connection-state';

describe('connection rows', () => {
  it('says who is connected, and each other state in words', () => {
    expect(describeState('connected', 'alex@contoso.example')).toBe(
      'Connected as alex@contoso.example',
    );
    expect(describeState('connected', undefined)).toBe('Connected');
    expect(describeState('needs_admin_consent', undefined)).toBe('Needs admin consent');
    expect(integrationStateSchema.options.map((state) => describeState(state, undefined))).toEqual([
      'Not connected',
      'Connecting…',
      'Connected',
      'Needs reconnect',
      'Needs admin consent',
      'Not available for you',
    ]);
  });

  it('offers Reconnect where signing in again helps and Disconnect where there is something to remove', () => {
    const table = Object.fromEntries(
      integrationStateSchema.options.map((state) => [state, connectionActions(state)]),
    );
    expect(table).toEqual({
      not_connected: { reconnect: true, disconnect: true },
      connecting: { reconnect: false, disconnect: false, cancel: true },
      connected: { reconnect: false, disconnect: true },
      needs_reconnect: { reconnect: true, disconnect: true },
      // Once the admin approved, the user tries again; or removes the connection they no longer want.
      needs_admin_consent: { reconnect: true, disconnect: true },
      unavailable: { reconnect: false, disconnect: false },
    });
  });

  it('names a row by the integration and the connection label, or the integration alone', () => {
    expect(connectionName('Salesforce', 'sandbox')).toBe('Salesforce · sandbox');
    expect(connectionName('Outlook calendar', '')).toBe('Outlook calendar connection');
  });
});
