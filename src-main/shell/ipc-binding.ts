import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { methodChannels } from '../../src-shared/channels';
import { workstationError } from '../../src-shared/errors';
import { fail } from '../../src-shared/result';
import type { Dispatch } from '../ipc/dispatcher';
import type { EventHub } from '../ipc/event-hub';
import type { ElectronApi } from './electron-api';

/**
 * Binds every contract method to `ipcMain.handle`. Errors travel as Result data because Electron
 * drops custom error fields across invoke (https://github.com/electron/electron/issues/24427).
 * Calls from anything but our own window are refused before dispatch.
 */
export function bindContract(
  ipcMain: ElectronApi['ipcMain'],
  dispatch: Dispatch,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): () => void {
  for (const channel of methodChannels) {
    ipcMain.handle(channel, async (event, input: unknown) => {
      if (!isTrustedSender(event)) {
        return fail(
          workstationError('forbidden', 'This window may not call Workstation.').toData(),
        );
      }
      return dispatch(channel, input, { senderId: String(event.sender.id) });
    });
  }
  return () => {
    for (const channel of methodChannels) ipcMain.removeHandler(channel);
  };
}

/** Forwards contract events to the launcher's renderer while it exists. */
export function forwardEvents(events: EventHub, target: () => WebContents | undefined): () => void {
  return events.subscribe((event, payload) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(event, payload);
  });
}
