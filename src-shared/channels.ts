/**
 * The names of every contract method and event, with no schema attached, so the sandboxed
 * preload can allow-list channels without bundling zod. `contract.ts` is checked against these lists.
 */
export const methodChannels = [
  'app:info',
  'app:hide',
  'app:openLogs',
  'app:visibility',
  'search:query',
  'search:cancel',
  'integrations:list',
  'integrations:connect',
  'integrations:disconnect',
  'integrations:cancelConnect',
  'session:get',
  'session:signIn',
  'session:signOut',
  'links:open',
  'tasks:list',
  'tasks:complete',
  'meetings:list',
  'settings:get',
  'settings:set',
] as const;

export const eventChannels = [
  'search:didReceiveBatch',
  'search:didComplete',
  'integrations:didChange',
  'settings:didChange',
  'session:didChange',
  'auth:didRequestBrowser',
] as const;

export type MethodChannel = (typeof methodChannels)[number];
export type EventChannel = (typeof eventChannels)[number];

/** Whether a string is a contract method name. */
export function isMethodChannel(value: unknown): value is MethodChannel {
  return typeof value === 'string' && (methodChannels as readonly string[]).includes(value);
}

/** Whether a string is a contract event name. */
export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && (eventChannels as readonly string[]).includes(value);
}
