import { createHash } from 'node:crypto';
import { SeededRandom } from '../data/seeded-random';
import type { SampleUser } from '../data/sample-users';

/** A Graph event as calendarView answers it (https://learn.microsoft.com/graph/api/resources/event), with start/end as UTC instants for filtering. */
export interface SandboxEvent {
  readonly startMs: number;
  readonly endMs: number;
  readonly json: Record<string, unknown>;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** An instant as Graph writes event timestamps: UTC with seven fractional digits. */
const graphInstant = (ms: number) =>
  new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_match, millis: string) => `.${millis}0000Z`);

/**
 * The event resource's bookkeeping, derived from the event id so the same event answers the same
 * values on every request: created 10 to 30 days before it starts, modified up to two days later
 * (both before now), a base64 changeKey that the @odata.etag carries, and an Outlook-style iCalUId.
 * https://learn.microsoft.com/graph/api/resources/event#properties
 */
function bookkeeping(id: string, start: number): Record<string, unknown> {
  const digest = createHash('sha256').update(id).digest();
  const created = start - (10 + ((digest[0] ?? 0) % 20)) * DAY - (digest.readUInt32BE(1) % DAY);
  const modified = created + 60_000 + (digest.readUInt32BE(5) % (2 * DAY));
  const changeKey = createHash('sha256')
    .update(`${id}:${modified}`)
    .digest()
    .subarray(0, 22)
    .toString('base64');
  const fileTime = ((BigInt(created) + 11_644_473_600_000n) * 10_000n)
    .toString(16)
    .toUpperCase()
    .padStart(16, '0');
  const iCalUId = `040000008200E00074C5B7101A82E00800000000${fileTime}${'0'.repeat(16)}10000000${digest.subarray(9, 25).toString('hex').toUpperCase()}`;
  return {
    '@odata.etag': `W/"${changeKey}"`,
    createdDateTime: graphInstant(created),
    lastModifiedDateTime: graphInstant(modified),
    changeKey,
    iCalUId,
  };
}

/** `locations` lists the event's locations and `location` is the first, so an event with none has []. */
function withLocations(event: SandboxEvent): SandboxEvent {
  const location = event.json.location as { displayName: string };
  return { ...event, json: { ...event.json, locations: location.displayName ? [location] : [] } };
}

const teamsJoin = (seed: string) =>
  `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${seed}%40thread.v2/0?context=%7b%22Tid%22%3a%226f1c3a52%22%7d`;
const safeLink = (url: string) =>
  `https://nam12.safelinks.protection.outlook.com/?url=${encodeURIComponent(url)}&data=05%7C02%7C&sdata=abc%3D&reserved=0`;

/**
 * The user's meetings around `now`, regenerated per request so the widget always has upcoming
 * ones: a Teams meeting with a joinUrl, Zoom/Webex/Gong links only in location or body, a Safe
 * Links-wrapped Teams link, a cancelled and a declined meeting, and an all-day event.
 */
export function calendarFor(user: SampleUser, now: number): SandboxEvent[] {
  const random = new SeededRandom([...user.oid].reduce((sum, char) => sum + char.charCodeAt(0), 0));
  const slot = (offsetHours: number) =>
    Math.floor(now / (15 * 60_000)) * 15 * 60_000 + offsetHours * HOUR;
  const startOfDay = Date.UTC(
    new Date(now).getUTCFullYear(),
    new Date(now).getUTCMonth(),
    new Date(now).getUTCDate(),
  );
  const organizer = {
    emailAddress: { name: 'Megan Bowen', address: 'megan.bowen@contoso-sample.onmicrosoft.com' },
  };
  const make = (
    index: number,
    subject: string,
    start: number,
    minutes: number,
    extra: Record<string, unknown>,
  ): SandboxEvent => {
    const end = start + minutes * 60_000;
    const id = `AAMkADsandbox${user.oid.slice(0, 8)}${index}${Math.floor(start / HOUR)}`;
    return withLocations({
      startMs: start,
      endMs: end,
      json: {
        ...bookkeeping(id, start),
        id,
        subject,
        bodyPreview: '',
        isAllDay: false,
        isCancelled: false,
        isOrganizer: false,
        isOnlineMeeting: false,
        onlineMeetingProvider: 'unknown',
        onlineMeeting: null,
        onlineMeetingUrl: null,
        showAs: 'busy',
        type: 'singleInstance',
        importance: 'normal',
        sensitivity: 'normal',
        responseStatus: { response: 'accepted', time: new Date(start - 24 * HOUR).toISOString() },
        webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
        location: { displayName: '', locationType: 'default' },
        organizer,
        attendees: [
          {
            type: 'required',
            status: { response: 'accepted', time: '0001-01-01T00:00:00Z' },
            emailAddress: { name: user.displayName, address: user.upn },
          },
        ],
        body: { contentType: 'html', content: '<html><body></body></html>' },
        ...extra,
      },
    });
  };
  const code = () => String(100_000_000 + random.int(899_999_999));
  return [
    make(1, 'Pipeline review (Teams)', slot(0.25), 30, {
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      onlineMeeting: { joinUrl: teamsJoin(`pipeline${code()}`) },
      bodyPreview: 'Microsoft Teams meeting',
    }),
    make(2, 'Contoso renewal call (Zoom)', slot(1), 45, {
      location: {
        displayName: `https://contoso.zoom.us/j/${code()}?pwd=abc123`,
        locationType: 'default',
      },
    }),
    make(3, 'Fabrikam QBR (Webex)', slot(2.5), 60, {
      body: {
        contentType: 'html',
        content: `<p>Join: <a href="https://fabrikam.webex.com/meet/j.doe">https://fabrikam.webex.com/meet/j.doe</a>.</p>`,
      },
    }),
    make(4, 'Call recording review (Gong)', slot(4), 30, {
      body: {
        contentType: 'html',
        content: `<p>Gong call: &lt;https://app.gong.io/call?id=${code()}&gt;</p>`,
      },
    }),
    make(5, 'Partner sync (Safe Links Teams)', slot(5.5), 30, {
      body: {
        contentType: 'html',
        content: `<p><a href="${safeLink(`https://teams.microsoft.com/meet/${code()}?p=Xyz`)}">Join the meeting now</a></p>`,
      },
    }),
    make(6, 'Cancelled: budget sync', slot(3), 30, {
      isCancelled: true,
      subject: 'Canceled: budget sync',
      onlineMeeting: { joinUrl: teamsJoin(`cancel${code()}`) },
      isOnlineMeeting: true,
    }),
    make(7, 'Declined: vendor demo', slot(6.5), 60, {
      responseStatus: { response: 'declined', time: new Date(now).toISOString() },
      location: { displayName: `https://zoom.us/j/${code()}`, locationType: 'default' },
    }),
    make(8, 'Company offsite', startOfDay + 24 * HOUR, 24 * 60, { isAllDay: true, showAs: 'free' }),
    make(9, 'Tomorrow: Northwind demo (Zoom gov)', slot(24 + 1), 60, {
      location: {
        displayName: `<https://contoso.zoomgov.com/j/${code()}>.`,
        locationType: 'default',
      },
    }),
    make(10, 'Yesterday: retro', slot(-24), 60, {}),
  ];
}
