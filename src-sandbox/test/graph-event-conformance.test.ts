import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../start-sandbox';
import { sandboxFetch } from '../test-support/sandbox-fetch';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';

type Event = Record<string, unknown> & {
  id: string;
  body: { contentType: string; content: string };
};

describe('Graph calendarView events as Microsoft Learn documents them', () => {
  let sandbox: Sandbox;
  let token: string;
  // A fixed window in the past and future, so two requests see the same events.
  const window = () =>
    `startDateTime=${new Date(Date.now() - 30 * 3600_000).toISOString()}&endDateTime=${new Date(Date.now() + 48 * 3600_000).toISOString()}&$top=50`;
  const calendar = (headers: Record<string, string> = {}, query = window()) =>
    sandboxFetch(`${sandbox.graph.baseUrl}/me/calendarView?${query}`, {
      ca: sandbox.tls.caCert,
      token,
      headers,
    });

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
    token = await sandbox.mintAccessToken({
      user: ALEX,
      scope: 'https://graph.microsoft.com/Calendars.Read',
    });
  });
  afterAll(async () => sandbox?.stop());

  // https://learn.microsoft.com/graph/api/event-get#request-headers: "A Preference-Applied header is
  // returned as confirmation if this Prefer header is specified"; without it the body is HTML.
  it('returns bodies as text with Prefer: outlook.body-content-type="text", and echoes only what was asked', async () => {
    const text = await calendar({ prefer: 'outlook.body-content-type="text"' });
    expect(text.status).toBe(200);
    expect(text.headers['preference-applied']).toBe('outlook.body-content-type="text"');
    const events = text.json<{ value: Event[] }>().value;
    expect(events.length).toBeGreaterThan(5);
    for (const event of events) {
      expect(event.body.contentType).toBe('text');
      expect(event.body.content).not.toMatch(/<\/?(html|body|p|a|div|br)\b/i);
    }
    const content = events.map((event) => event.body.content).join('\n');
    expect(content).toContain('Join: https://fabrikam.webex.com/meet/j.doe.');
    // Exchange writes a link whose text differs from its target as `text<url>`.
    expect(content).toMatch(
      /Join the meeting now<https:\/\/nam12\.safelinks\.protection\.outlook\.com\/\?url=[^>]+>/,
    );
    expect(content).toMatch(/Gong call: <https:\/\/app\.gong\.io\/call\?id=\d+>/);

    const html = await calendar({ prefer: 'outlook.body-content-type="html"' });
    expect(html.headers['preference-applied']).toBe('outlook.body-content-type="html"');
    expect(
      html.json<{ value: Event[] }>().value.every((event) => event.body.contentType === 'html'),
    ).toBe(true);

    const plain = await calendar();
    expect(plain.headers['preference-applied']).toBeUndefined();
    expect(
      plain
        .json<{ value: Event[] }>()
        .value.some((event) =>
          event.body.content.includes('<a href="https://fabrikam.webex.com/meet/j.doe">'),
        ),
    ).toBe(true);

    const zoneOnly = await calendar({ prefer: 'outlook.timezone="Pacific Standard Time"' });
    expect(zoneOnly.headers['preference-applied']).toBe('outlook.timezone="Pacific Standard Time"');
    const both = await calendar({
      prefer: 'outlook.timezone="UTC", outlook.body-content-type="text"',
    });
    expect(both.headers['preference-applied']).toBe(
      'outlook.timezone="UTC",outlook.body-content-type="text"',
    );
  });

  // https://learn.microsoft.com/graph/api/resources/event#properties
  it('gives every event createdDateTime, lastModifiedDateTime, changeKey, iCalUId and locations, the same on every request', async () => {
    const first = (await calendar()).json<{ value: Event[] }>().value;
    const second = new Map(
      (await calendar()).json<{ value: Event[] }>().value.map((event) => [event.id, event]),
    );
    const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;
    let compared = 0;
    for (const event of first) {
      expect(event.createdDateTime).toMatch(instant);
      expect(event.lastModifiedDateTime).toMatch(instant);
      expect(Date.parse(String(event.createdDateTime))).toBeLessThanOrEqual(
        Date.parse(String(event.lastModifiedDateTime)),
      );
      expect(Date.parse(String(event.lastModifiedDateTime))).toBeLessThanOrEqual(Date.now());
      expect(event.changeKey).toMatch(/^[A-Za-z0-9+/]{30}==$/);
      expect(event['@odata.etag']).toBe(`W/"${String(event.changeKey)}"`);
      expect(event.iCalUId).toMatch(/^040000008200E00074C5B7101A82E008[0-9A-F]+$/);
      const location = event.location as { displayName: string };
      expect(event.locations).toEqual(location.displayName ? [location] : []);
      // Events sit on 15-minute slots around now; one that moved slot between the two requests is a new event.
      const again = second.get(event.id);
      if (!again) continue;
      compared += 1;
      for (const key of [
        'createdDateTime',
        'lastModifiedDateTime',
        'changeKey',
        'iCalUId',
        'locations',
      ])
        expect(again[key], key).toEqual(event[key]);
    }
    expect(compared).toBeGreaterThan(5);
    expect(new Set(first.map((event) => event.iCalUId)).size).toBe(first.length);
    expect(first.some((event) => (event.locations as unknown[]).length === 1)).toBe(true);
  });
});
