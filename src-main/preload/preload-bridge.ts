import type { IpcRenderer, IpcRendererEvent } from 'electron';
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
