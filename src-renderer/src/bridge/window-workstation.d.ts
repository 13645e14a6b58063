import type { WorkstationBridge } from '../../../src-shared/contract';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent when the renderer is served by the web host. */
    readonly workstation?: WorkstationBridge;
  }
}
