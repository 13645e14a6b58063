import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import type { Meeting } from '../../../src-shared/domain/meetings';
import { classifyLink, findJoinLink } from './join-links';

const eventSchema = z
  .object({
    id: z.string(),
    subject: z.string().nullable().optional(),
    start: z.object({ dateTime: z.string() }),
    end: z.object({ dateTime: z.string() }),
    isAllDay: z.boolean().optional(),
    isCancelled: z.boolean().optional(),
    responseStatus: z.object({ response: z.string() }).optional(),
    onlineMeeting: z.object({ joinUrl: z.string().nullable().optional() }).nullable().optional(),
    location: z.object({ displayName: z.string().nullable().optional() }).nullable().optional(),
    body: z.object({ content: z.string().nullable().optional() }).nullable().optional(),
    organizer: z.object({ emailAddress: z.object({ name: z.string().optional() }) }).optional(),
    webLink: z.string().optional(),
  })
  .passthrough();
const pageSchema = z.object({
  value: z.array(eventSchema),
  '@odata.nextLink': z.string().optional(),
});

/** Graph gives UTC wall time with seven fractional digits and no offset when asked for UTC. */
const utc = (wall: string) => new Date(`${wall.replace(/(\.\d{3})\d*$/, '$1')}Z`).toISOString();

/**
 * Upcoming meetings from Graph calendarView for the rest of today and tomorrow (local time):
 * cancelled and declined ones left out, all-day ones apart; Join from onlineMeeting.joinUrl, else
 * the first meeting link in the location or body. nextLink is followed as given.
 */
export class OutlookCalendar {
  constructor(
    private readonly http: AxiosInstance,
    private readonly now: () => number = Date.now,
  ) {}

  async upcoming(signal?: AbortSignal): Promise<{ meetings: Meeting[]; allDay: Meeting[] }> {
    return this.within(2, signal);
  }

  /** Meetings from now to the end of the day `days` days ahead (local). */
  async within(
    days: number,
    signal?: AbortSignal,
  ): Promise<{ meetings: Meeting[]; allDay: Meeting[] }> {
    const start = new Date(this.now());
    const end = new Date(start);
    end.setDate(end.getDate() + days);
    end.setHours(0, 0, 0, 0);
    const params = new URLSearchParams({
      startDateTime: new Date(start.getTime() - 15 * 60_000).toISOString(),
      endDateTime: end.toISOString(),
      $select:
        'subject,start,end,isAllDay,isCancelled,responseStatus,onlineMeeting,location,body,organizer,webLink',
      $orderby: 'start/dateTime',
      $top: '50',
    });
    const events: z.infer<typeof eventSchema>[] = [];
    let url: string | undefined = `me/calendarView?${params.toString()}`;
    for (let page = 0; url && page < 5; page += 1) {
      const response = await this.http.get(url, {
        signal,
        headers: { prefer: 'outlook.timezone="UTC"' },
      });
      const parsed = pageSchema.parse(response.data);
      events.push(...parsed.value);
      url = parsed['@odata.nextLink'];
    }
    const meetings = events
      .filter((event) => !event.isCancelled && event.responseStatus?.response !== 'declined')
      .filter((event) => Date.parse(utc(event.end.dateTime)) > this.now())
      .map((event): Meeting => {
        const join =
          (event.onlineMeeting?.joinUrl ? classifyLink(event.onlineMeeting.joinUrl) : undefined) ??
          findJoinLink(event.location?.displayName) ??
          findJoinLink(event.body?.content);
        const location = event.location?.displayName ?? undefined;
        return {
          id: event.id,
          subject: event.subject ?? '(no title)',
          start: utc(event.start.dateTime),
          end: utc(event.end.dateTime),
          isAllDay: event.isAllDay === true,
          ...(location && !/^https?:/.test(location) && !location.startsWith('<')
            ? { location }
            : {}),
          ...(event.organizer?.emailAddress.name
            ? { organizer: event.organizer.emailAddress.name }
            : {}),
          ...(join ? { join } : {}),
          ...(event.webLink?.startsWith('https://') ? { webLink: event.webLink } : {}),
        };
      });
    return {
      meetings: meetings.filter((meeting) => !meeting.isAllDay),
      allDay: meetings.filter((meeting) => meeting.isAllDay),
    };
  }
}
