import { isEventChannel, isMethodChannel } from '../../../src-shared/channels';
import type { EventChannel, WorkstationBridge } from '../../../src-shared/contract';
import { errorDataSchema, workstationError } from '../../../src-shared/errors';
import { fail, type Result } from '../../../src-shared/result';
import { parseEventStream } from './event-stream-parser';

type Listener = (payload: unknown) => void;

/** Where the web bridge talks to and how it proves it may. */
export interface WebBridgeOptions {
  readonly baseUrl: string;
  readonly secret: string;
  /** A random id for this tab, so main can tell tabs apart (like Electron's sender id). */
  readonly clientId: string;
  readonly fetch?: typeof fetch;
}

const RECONNECT_MS = 1000;

/**
 * `window.workstation` for a browser: calls are JSON POSTs and events arrive as server-sent
 * events read with fetch (not EventSource, which cannot send the Authorization header and would
 * put the secret in a URL).
 */
export function createWebBridge(options: WebBridgeOptions): WorkstationBridge {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const headers = {
    authorization: `Bearer ${options.secret}`,
    'x-workstation-client': options.clientId,
  };
  const listeners = new Map<EventChannel, Set<Listener>>();
  let streaming = false;

  const dispatchEvent = (name: string, data: string) => {
    if (!isEventChannel(name)) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    for (const listener of listeners.get(name) ?? []) listener(payload);
  };

  const stream = async (): Promise<void> => {
    for (;;) {
      try {
        const response = await doFetch(`${options.baseUrl}/api/events`, {
          headers,
          cache: 'no-store',
        });
        if (response.status === 401) return; // a stale tab: calls will say so too
        if (response.ok && response.body) await parseEventStream(response.body, dispatchEvent);
      } catch {
        // The host restarted or the network blinked; try again shortly.
      }
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  };

  return {
    async invoke(channel, input) {
      if (!isMethodChannel(channel)) {
        return fail(
          workstationError('unknown_method', 'Workstation does not know that request.').toData(),
        ) as Result<never>;
      }
      let response: Response;
      try {
        response = await doFetch(`${options.baseUrl}/api/invoke/${channel}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ input }),
          cache: 'no-store',
        });
      } catch {
        return fail(
          workstationError(
            'unavailable',
            'Workstation is not answering. Start it again (npm start or npm run web) and open the address it prints.',
          ).toData(),
        ) as Result<never>;
      }
      const body: unknown = await response.json().catch(() => undefined);
      if (typeof body === 'object' && body !== null && 'ok' in body) {
        if (body.ok === true && 'value' in body) return body as Result<never>;
        const error = errorDataSchema.safeParse((body as { error?: unknown }).error);
        if (error.success) return fail(error.data) as Result<never>;
      }
      return fail(
        workstationError(
          'internal',
          `Workstation answered unexpectedly (HTTP ${response.status}).`,
        ).toData(),
      ) as Result<never>;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener as Listener);
      listeners.set(event, set);
      if (!streaming) {
        streaming = true;
        void stream();
      }
      return () => {
        set.delete(listener as Listener);
      };
    },
  };
}
