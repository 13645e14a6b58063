import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { methodChannels } from '../../src-shared/channels';
import { ok } from '../../src-shared/result';
import { EventHub } from '../ipc/event-hub';
import { bindContract, forwardEvents } from './ipc-binding';
import { createFakeElectron, FakeWebContents } from './test/fake-electron';

describe('IPC binding', () => {
  it('handles exactly the contract channels and refuses foreign senders before dispatch', async () => {
    const { electron, ipcHandlers } = createFakeElectron();
    const dispatch = vi.fn(async () => ok({ cancelled: true }));
    const ours = new FakeWebContents();
    bindContract(electron.ipcMain, dispatch, (event) => event.sender === (ours as unknown));
    expect([...ipcHandlers.keys()].sort()).toEqual([...methodChannels].sort());

    const handler = ipcHandlers.get('search:cancel')!;
    const foreign = await handler({ sender: new FakeWebContents() }, { queryId: 'q1' });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(dispatch).not.toHaveBeenCalled();

    const answer = await handler({ sender: ours }, { queryId: 'q1' });
    expect(answer).toEqual({ ok: true, value: { cancelled: true } });
    expect(dispatch).toHaveBeenCalledWith(
      'search:cancel',
      { queryId: 'q1' },
      { senderId: String(ours.id) },
    );
  });

  it('unbinds every channel', () => {
    const { electron, ipcHandlers } = createFakeElectron();
    const unbind = bindContract(electron.ipcMain, vi.fn(), () => true);
    unbind();
    expect(ipcHandlers.size).toBe(0);
  });

  it('forwards validated events to the launcher and skips a destroyed one', () => {
    const hub = new EventHub(pino({ level: 'silent' }));
    const contents = new FakeWebContents();
    forwardEvents(hub, () => contents as never);
    hub.emit('search:didComplete', { queryId: 'q1', sources: 1 });
    contents.destroyed = true;
    hub.emit('search:didComplete', { queryId: 'q2', sources: 1 });
    expect(contents.sent).toEqual([
      { channel: 'search:didComplete', payload: { queryId: 'q1', sources: 1 } },
    ]);
  });
});
