import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Meeting } from '../../src-shared/domain/meetings';
import { ManualClock, settle } from '../integrations/test/manual-clock';
import { checkOpenUrl } from '../links/link-guard';
import { MeetingReminders, type MeetingReminder } from '../reminders/meeting-reminders';
import { createMeetingNotifier } from './meeting-notification';
import { createFakeElectron } from './test/fake-electron';

const reminder: MeetingReminder = {
  meetingId: 'm1',
  subject: 'Quarterly review',
  start: '2026-11-30T10:00:00.000Z',
  joinUrl: 'https://teams.microsoft.com/l/meetup-join/m1',
};

function setup(platform: NodeJS.Platform, options: { notificationsSupported?: boolean } = {}) {
  const fake = createFakeElectron(options);
  const joined: string[] = [];
  const failures: unknown[] = [];
  const notify = createMeetingNotifier(
    fake.electron,
    async (url) => {
      joined.push(url);
      if (url.includes('evil')) throw new Error('forbidden');
    },
    (error) => failures.push(error),
    platform,
  );
  return { fake, joined, failures, notify };
}

describe('meeting notification', () => {
  it('shows the meeting with a Join button where the OS has actions, and joins once', async () => {
    const { fake, joined, notify } = setup('win32');
    notify(reminder);
    const [shown] = fake.shownNotifications;
    expect(shown?.options).toEqual({
      title: 'Quarterly review',
      body: 'Starts in a minute.',
      actions: [{ type: 'button', text: 'Join' }],
    });
    shown?.emit('action', {}, 0);
    shown?.emit('click');
    await Promise.resolve();
    expect(joined).toEqual([reminder.joinUrl]);
  });

  it('joins on a click where there are no action buttons (Linux)', async () => {
    const { fake, joined, notify } = setup('linux');
    notify({ ...reminder, subject: '  ' });
    const [shown] = fake.shownNotifications;
    expect(shown?.options).toEqual({
      title: 'Meeting',
      body: 'Starts in a minute. Click to join.',
    });
    shown?.emit('click');
    expect(joined).toEqual([reminder.joinUrl]);
  });

  it('reports a Join the link guard refused, and shows nothing where notifications are unsupported', async () => {
    const refused = setup('darwin');
    refused.notify({ ...reminder, joinUrl: 'https://evil.example/' });
    refused.fake.shownNotifications[0]?.emit('click');
    await new Promise((resolve) => setImmediate(resolve));
    expect(refused.failures).toHaveLength(1);

    const none = setup('linux', { notificationsSupported: false });
    none.notify(reminder);
    expect(none.fake.shownNotifications).toEqual([]);
  });
});

describe('meeting reminders in the shell, on a controllable clock', () => {
  it('notifies a minute before, and the click opens the Join link through the link guard', async () => {
    const fake = createFakeElectron();
    const clock = new ManualClock(Date.parse('2026-11-30T09:00:00Z'));
    const meeting = (id: string, joinUrl: string): Meeting => ({
      id,
      subject: `Meeting ${id}`,
      start: '2026-11-30T09:10:00Z',
      end: '2026-11-30T09:40:00Z',
      isAllDay: false,
      join: { url: joinUrl, provider: 'teams' },
    });
    const failures: unknown[] = [];
    const reminders = new MeetingReminders({
      meetings: async () => ({
        meetings: [
          meeting('ok', 'https://teams.microsoft.com/l/meetup-join/ok'),
          // A Join link the guard does not allow (a source must never make main open it).
          meeting('bad', 'https://evil.example/join'),
        ],
        allDay: [],
        status: { state: 'ok', fetchedAt: clock.now() },
      }),
      enabled: async () => true,
      notify: createMeetingNotifier(
        fake.electron,
        async (url) => fake.electron.shell.openExternal(checkOpenUrl(url, []).toString()),
        (error) => failures.push(error),
        'linux',
      ),
      clock: { now: clock.now, schedule: clock.schedule },
      logger: pino({ level: 'silent' }),
    });
    await reminders.start();
    await clock.advance(8 * 60_000);
    expect(fake.shownNotifications).toEqual([]);
    await clock.advance(60_000);
    expect(fake.notifications.map((shown) => shown.title)).toEqual(['Meeting ok', 'Meeting bad']);
    for (const shown of fake.shownNotifications) shown.emit('click');
    await settle();
    expect(fake.opened).toEqual(['https://teams.microsoft.com/l/meetup-join/ok']);
    expect(failures).toEqual([expect.objectContaining({ code: 'forbidden' })]);
    reminders.stop();
  });
});
