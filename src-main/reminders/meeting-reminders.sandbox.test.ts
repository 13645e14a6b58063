import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src-sandbox/start-sandbox';
import { createAuthorizedHttpClient } from '../auth/token-injector';
import { OutlookCalendar } from '../integrations/outlook/outlook-calendar';
import { ManualClock, settle } from '../integrations/test/manual-clock';
import { MeetingReminders, type MeetingReminder } from './meeting-reminders';

// The real Outlook source against the sandbox's Graph calendar, which holds a cancelled and a
// declined meeting, both with Join links (src-sandbox/graph/calendar-events.ts).
describe('meeting reminders over the sandbox calendar', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
  });
  afterAll(async () => sandbox?.stop());

  it('reminds of every upcoming meeting with a Join link, never of a cancelled or declined one', async () => {
    const clock = new ManualClock(Date.now());
    const calendar = new OutlookCalendar(
      createAuthorizedHttpClient({
        displayName: 'Outlook calendar',
        baseURL: `${sandbox.graph.baseUrl}/`,
        extraCa: sandbox.tls.caCert,
        tokenSource: {
          getAccessToken: () =>
            sandbox.mintAccessToken({
              user: 'alex.wilber@contoso-sample.onmicrosoft.com',
              scope: 'https://graph.microsoft.com/Calendars.Read',
            }),
        },
      }),
      clock.now,
    );
    let reading: Promise<unknown> = Promise.resolve();
    const shown: (MeetingReminder & { at: number })[] = [];
    const reminders = new MeetingReminders({
      meetings: async () => {
        const read = calendar
          .upcoming()
          .then((list) => ({ ...list, status: { state: 'ok' as const, fetchedAt: clock.now() } }));
        reading = read;
        return read;
      },
      enabled: async () => true,
      notify: (reminder) => shown.push({ ...reminder, at: clock.now() }),
      clock: { now: clock.now, schedule: clock.schedule },
      logger: pino({ level: 'silent' }),
    });
    await reminders.start();
    // Eight hours of the day, a minute at a time, each refresh read to the end before moving on.
    for (let minute = 0; minute < 8 * 60; minute += 1) {
      await clock.advance(60_000);
      await reading;
      await settle();
    }
    reminders.stop();

    expect(shown.map((reminder) => reminder.subject)).toEqual([
      'Pipeline review (Teams)',
      'Contoso renewal call (Zoom)',
      'Fabrikam QBR (Webex)',
      'Call recording review (Gong)',
      'Partner sync (Safe Links Teams)',
    ]);
    for (const reminder of shown) {
      const lead = Date.parse(reminder.start) - reminder.at;
      // A minute before (the first may be less when it starts within the first minute).
      expect(lead).toBeLessThanOrEqual(60_000);
      expect(lead).toBeGreaterThan(0);
    }
  });
});
