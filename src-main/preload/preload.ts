import { contextBridge, ipcRenderer } from 'electron';
import { exposeOnOwnOrigin } from './preload-bridge';

// The sandboxed preload runs in the page's context, where `location` is the page's address.
const { location } = globalThis as unknown as { location: { href: string } };
exposeOnOwnOrigin(
  (key, api) => contextBridge.exposeInMainWorld(key, api),
  ipcRenderer,
  location.href,
);
