import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createPreloadBridge, exposeOnOwnOrigin, type BridgeIpc } from './preload-bridge';

function fakeIpc() {
  const emitter = new EventEmitter();
  const invoke = vi.fn(async (channel: string, input: unknown) => ({
    ok: true,
    value: { channel, input },
  }));
  const ipc = {
    invoke,
    on: emitter.on.bind(emitter),
    removeListener: emitter.removeListener.bind(emitter),
  } as unknown as BridgeIpc;
  return { ipc, invoke, emitter };
}

describe('preload bridge', () => {
  it('exposes exactly invoke and on', () => {
    expect(Object.keys(createPreloadBridge(fakeIpc().ipc)).sort()).toEqual(['invoke', 'on']);
  });

  it('forwards contract calls and refuses others without touching IPC', async () => {
    const { ipc, invoke } = fakeIpc();
    const bridge = createPreloadBridge(ipc);
    await expect(bridge.invoke('app:info', {})).resolves.toEqual({
      ok: true,
      value: { channel: 'app:info', input: {} },
    });
    await expect(bridge.invoke('shell:openExternal', { url: 'file:///' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
    expect(invoke).toHaveBeenCalledTimes(1);
  });

  it('delivers only payloads, only for contract events, and unsubscribes', () => {
    const { ipc, emitter } = fakeIpc();
    const bridge = createPreloadBridge(ipc);
    const seen: unknown[][] = [];
    const off = bridge.on('search:didComplete', (...args: unknown[]) => seen.push(args));
    bridge.on('ELECTRON_BROWSER_WINDOW_ALERT', () => seen.push(['leak']));
    emitter.emit('search:didComplete', { sender: 'ipc-event' }, { queryId: 'q1', sources: 1 });
    off();
    emitter.emit('search:didComplete', { sender: 'ipc-event' }, { queryId: 'q2', sources: 1 });
    expect(seen).toEqual([[{ queryId: 'q1', sources: 1 }]]);
    expect(emitter.listenerCount('ELECTRON_BROWSER_WINDOW_ALERT')).toBe(0);
  });

  it('exposes the bridge only on app://workstation', () => {
    const exposed: string[] = [];
    const expose = (key: string) => void exposed.push(key);
    const { ipc } = fakeIpc();
    expect(exposeOnOwnOrigin(expose, ipc, 'app://workstation/index.html#settings')).toBe(true);
    for (const href of [
      'file:///app/dist/renderer/index.html',
      'https://evil.example/',
      'app://other/index.html',
      'about:blank',
    ])
      expect(exposeOnOwnOrigin(expose, ipc, href)).toBe(false);
    expect(exposed).toEqual(['workstation']);
  });
});
