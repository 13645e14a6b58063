import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../src-sandbox/start-sandbox';
import { createAuthorizedHttpClient } from '../../auth/token-injector';
import { OutlookCalendar } from './outlook-calendar';
import { OutlookProvider } from './outlook-provider';

describe('Outlook calendar against the sandbox Graph', () => {
  let sandbox: Sandbox;
  let calendar: OutlookCalendar;
  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
    calendar = new OutlookCalendar(
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
    );
  });
  afterAll(async () => sandbox?.stop());

  it('lists upcoming meetings without cancelled or declined ones, all-day apart, with Join links from every source', async () => {
    const { meetings, allDay } = await calendar.upcoming();
    const subjects = meetings.map((meeting) => meeting.subject);
    expect(subjects.some((subject) => /cancel/i.test(subject))).toBe(false);
    expect(subjects.some((subject) => /declined/i.test(subject))).toBe(false);
    expect(allDay.map((meeting) => meeting.subject)).toContain('Company offsite');
    const join = Object.fromEntries(meetings.map((meeting) => [meeting.subject, meeting.join]));
    expect(join['Pipeline review (Teams)']?.provider).toBe('teams');
    expect(join['Contoso renewal call (Zoom)']).toMatchObject({
      provider: 'zoom',
      url: expect.stringMatching(/^https:\/\/contoso\.zoom\.us\/j\//),
    });
    expect(join['Fabrikam QBR (Webex)']?.provider).toBe('webex');
    expect(join['Call recording review (Gong)']?.provider).toBe('gong');
    expect(join['Partner sync (Safe Links Teams)']?.url).toMatch(
      /^https:\/\/teams\.microsoft\.com\/meet\//,
    );
    expect(meetings.map((meeting) => Date.parse(meeting.start))).toEqual(
      [...meetings.map((meeting) => Date.parse(meeting.start))].sort((a, b) => a - b),
    );
  });

  it('searches meetings by subject as a search source', async () => {
    const results = await new OutlookProvider(calendar).search('zoom', {
      signal: new AbortController().signal,
    });
    expect(results.length).toBeGreaterThan(0);
    expect(
      results.every((result) => result.entityType === 'meeting' && /zoom/i.test(result.title)),
    ).toBe(true);
    expect(results[0]?.subtitle).toMatch(/^Meeting · /);
  });
});
