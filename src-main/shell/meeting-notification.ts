import type { Notification } from 'electron';
import type { MeetingReminder } from '../reminders/meeting-reminders';
import type { ElectronApi } from './electron-api';

/**
 * Shows a meeting reminder as a native notification. A click (or its Join button, where the OS
 * shows action buttons: macOS and Windows) hands the Join link to `join`, which is the link guard's
 * way to the browser; nothing here opens a URL itself. Shown notifications are held until they
 * end so their click handlers are not garbage-collected away.
 * https://www.electronjs.org/docs/latest/api/notification
 * https://www.electronjs.org/docs/latest/api/structures/notification-action
 */
export function createMeetingNotifier(
  electron: Pick<ElectronApi, 'Notification'>,
  join: (url: string) => Promise<unknown>,
  onJoinFailed: (error: unknown) => void,
  platform: NodeJS.Platform = process.platform,
): (reminder: MeetingReminder) => void {
  const live = new Set<Notification>();
  return (reminder) => {
    if (!electron.Notification.isSupported()) return;
    const withActions = platform === 'darwin' || platform === 'win32';
    const notification = new electron.Notification({
      title: reminder.subject.trim() || 'Meeting',
      body: withActions ? 'Starts in a minute.' : 'Starts in a minute. Click to join.',
      ...(withActions ? { actions: [{ type: 'button' as const, text: 'Join' }] } : {}),
    });
    let joined = false;
    const open = () => {
      // A click and the button may both fire on some systems; join once.
      if (joined) return;
      joined = true;
      live.delete(notification);
      join(reminder.joinUrl).catch(onJoinFailed);
    };
    notification.on('click', open);
    notification.on('action', open);
    notification.on('close', () => live.delete(notification));
    live.add(notification);
    notification.show();
  };
}
