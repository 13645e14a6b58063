import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { isAppOrigin } from '../../src-shared/app-origin';
import { isEventChannel, isMethodChannel, type EventChannel } from '../../src-shared/channels';

/** The slice of ipcRenderer the bridge needs. */
export type BridgeIpc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

/** A failed Result for a channel the contract does not list (kept free of zod: the preload is sandboxed). */
const unknownMethod = {
  ok: false,
  error: {
    code: 'unknown_method',
    message: 'Workstation does not know that request.',
    retryable: false,
  },
} as const;

/**
 * `window.workstation` for Electron: `invoke` and `on` for the contract's channels only. The
 * renderer never receives ipcRenderer or the IPC event object, only payloads.
 */
export function createPreloadBridge(ipc: BridgeIpc) {
  return {
    invoke(channel: unknown, input: unknown): Promise<unknown> {
      if (!isMethodChannel(channel)) return Promise.resolve(unknownMethod);
      return ipc.invoke(channel, input);
    },
    on(event: unknown, listener: (payload: unknown) => void): () => void {
      if (!isEventChannel(event) || typeof listener !== 'function') return () => undefined;
      const channel: EventChannel = event;
      const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipc.on(channel, wrapped);
      return () => {
        ipc.removeListener(channel, wrapped);
      };
    },
  };
}

/**
 * Exposes `window.workstation` only on our renderer's origin (`app://workstation`): should a frame
 * of another origin ever get this preload, it gets no bridge. Main checks every call's origin again.
 */
export function exposeOnOwnOrigin(
  expose: (key: string, api: ReturnType<typeof createPreloadBridge>) => void,
  ipc: BridgeIpc,
  href: string,
): boolean {
  if (!isAppOrigin(href)) return false;
  expose('workstation', createPreloadBridge(ipc));
  return true;
}
