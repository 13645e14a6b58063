import type { HandlerTable } from '../handler-table';

/**
 * A complete handler table answering valid, empty values, for transport tests that care about one
 * or two methods: pass those as overrides. Adding a contract method fails to compile here first.
 */
export function fixtureHandlers(
  overrides: Partial<Record<keyof HandlerTable, unknown>> = {},
): HandlerTable {
  const base: HandlerTable = {
    'app:info': () => ({
      name: 'W',
      version: '1',
      host: 'web',
      platform: 'linux',
      mode: 'demo',
      hotkeyRegistered: false,
      hotkey: 'Alt+Space',
    }),
    'app:hide': () => ({ hidden: false }),
    'app:openLogs': () => ({ opened: false }),
    'app:visibility': () => ({ anyVisible: true }),
    'search:query': (input) => ({ queryId: input.queryId }),
    'search:cancel': () => ({ cancelled: false }),
    'integrations:list': () => ({ integrations: [] }),
    'integrations:connect': () => ({ integrations: [] }),
    'integrations:disconnect': () => ({ integrations: [] }),
    'integrations:cancelConnect': () => ({ integrations: [] }),
    'links:open': () => ({ opened: false, url: 'https://teams.microsoft.com/' }),
    'tasks:list': () => ({ tasks: [], status: { state: 'not_connected' } }),
    'tasks:complete': () => ({ completed: true }),
    'meetings:list': () => ({ meetings: [], allDay: [], status: { state: 'not_connected' } }),
    'session:get': () => ({ state: 'signed_out', keychain: 'available', mode: 'demo' }),
    'session:signIn': () => ({ state: 'signing_in', keychain: 'available', mode: 'demo' }),
    'session:signOut': () => ({ state: 'signed_out', keychain: 'available', mode: 'demo' }),
    'settings:get': () => ({
      theme: 'system',
      hotkey: 'Alt+Space',
      openAtLogin: false,
      meetingReminders: true,
    }),
    'settings:set': () => ({
      theme: 'dark',
      hotkey: 'Alt+Space',
      openAtLogin: false,
      meetingReminders: true,
    }),
  };
  return { ...base, ...overrides } as HandlerTable;
}
