import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Meeting, MeetingList } from '../../src-shared/domain/meetings';
import { ManualClock, settle } from '../integrations/test/manual-clock';
import { MeetingReminders, type MeetingReminder } from './meeting-reminders';

const MINUTE = 60_000;
const T0 = Date.parse('2026-11-30T09:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * MINUTE).toISOString();

function meeting(id: string, startMinutes: number, join = true): Meeting {
  return {
    id,
    subject: `Meeting ${id}`,
    start: at(startMinutes),
    end: at(startMinutes + 30),
    isAllDay: false,
    ...(join
      ? {
          join: {
            url: `https://teams.microsoft.com/l/meetup-join/${id}`,
            provider: 'teams' as const,
          },
        }
      : {}),
  };
}

function setup(initial: Meeting[], options: { enabled?: boolean } = {}) {
  const clock = new ManualClock(T0);
  const state = { meetings: initial, enabled: options.enabled ?? true, fail: false };
  const shown: MeetingReminder[] = [];
  const reminders = new MeetingReminders({
    meetings: async (): Promise<MeetingList> => {
      if (state.fail) throw new Error('Graph is down');
      return {
        meetings: state.meetings,
        allDay: [],
        status: { state: 'ok', fetchedAt: clock.now() },
      };
    },
    enabled: async () => state.enabled,
    notify: (reminder) => shown.push(reminder),
    clock: { now: clock.now, schedule: clock.schedule },
    logger: pino({ level: 'silent' }),
  });
  return { clock, state, shown, reminders };
}

describe('MeetingReminders', () => {
  it('reminds one minute before each meeting with a Join link, once', async () => {
    const { clock, shown, reminders } = setup([
      meeting('a', 10),
      meeting('b', 20),
      meeting('no-join', 15, false),
    ]);
    await reminders.start();
    await clock.advance(8 * MINUTE);
    expect(shown).toEqual([]);
    await clock.advance(1 * MINUTE); // 09:09, one minute before a
    expect(shown).toEqual([
      {
        meetingId: 'a',
        subject: 'Meeting a',
        start: at(10),
        joinUrl: 'https://teams.microsoft.com/l/meetup-join/a',
      },
    ]);
    await clock.advance(10 * MINUTE); // 09:19; the 5-minute refreshes ran in between
    expect(shown.map((reminder) => reminder.meetingId)).toEqual(['a', 'b']);
    await clock.advance(30 * MINUTE);
    expect(shown.map((reminder) => reminder.meetingId)).toEqual(['a', 'b']);
    reminders.stop();
  });

  it('drops the reminder of a meeting cancelled or declined after it was scheduled', async () => {
    const { clock, state, shown, reminders } = setup([meeting('a', 10), meeting('b', 12)]);
    await reminders.start();
    expect(reminders.pendingCount).toBe(2);
    // The source leaves cancelled and declined meetings out (outlook-calendar.ts), so b vanishes.
    state.meetings = [meeting('a', 10)];
    await clock.advance(5 * MINUTE);
    expect(reminders.pendingCount).toBe(1);
    await clock.advance(10 * MINUTE);
    expect(shown.map((reminder) => reminder.meetingId)).toEqual(['a']);
    reminders.stop();
  });

  it('follows a moved meeting to its new time', async () => {
    const { clock, state, shown, reminders } = setup([meeting('a', 10)]);
    await reminders.start();
    state.meetings = [meeting('a', 30)];
    await clock.advance(5 * MINUTE);
    await clock.advance(5 * MINUTE); // 09:10: the old time passes quietly
    expect(shown).toEqual([]);
    await clock.advance(19 * MINUTE); // 09:29
    expect(shown.map((reminder) => reminder.start)).toEqual([at(30)]);
    reminders.stop();
  });

  it('reminds at once for a meeting learnt about inside its last minute, never for a started one', async () => {
    const { clock, shown, reminders } = setup([meeting('soon', 0.5), meeting('started', -1)]);
    await reminders.start();
    await clock.advance(0);
    expect(shown.map((reminder) => reminder.meetingId)).toEqual(['soon']);
  });

  it('reminds of nothing when turned off, and cancels pending reminders when turned off later', async () => {
    const off = setup([meeting('a', 10)], { enabled: false });
    await off.reminders.start();
    await off.clock.advance(20 * MINUTE);
    expect(off.shown).toEqual([]);

    const later = setup([meeting('a', 10)]);
    await later.reminders.start();
    later.state.enabled = false;
    await later.reminders.refresh();
    await later.clock.advance(20 * MINUTE);
    expect(later.shown).toEqual([]);
  });

  it('keeps scheduled reminders when the meetings cannot be read, and stops cleanly', async () => {
    const { clock, state, shown, reminders } = setup([meeting('a', 10)]);
    await reminders.start();
    state.fail = true;
    await clock.advance(5 * MINUTE);
    await clock.advance(4 * MINUTE);
    expect(shown.map((reminder) => reminder.meetingId)).toEqual(['a']);
    state.fail = false;
    state.meetings = [meeting('b', 20)];
    reminders.stop();
    await clock.advance(20 * MINUTE);
    await settle();
    expect(shown.map((reminder) => reminder.meetingId)).toEqual(['a']);
  });
});
