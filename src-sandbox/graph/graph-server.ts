import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sampleUsers } from '../data/sample-users';
import { verifyBearer } from '../dataverse/caller-auth';
import type { SigningKeys } from '../entra/signing-keys';
import type { FaultController } from '../faults/fault-controller';
import type { RequestCounter } from '../faults/request-counter';
import { createServiceApp } from '../http/service-app';
import type { LocalTls } from '../../src-dev-tls/local-ca';
import { calendarFor } from './calendar-events';
import { htmlToText } from './html-to-text';

/** What the Graph stand-in needs. */
export interface GraphOptions {
  readonly tls: LocalTls;
  readonly keys: SigningKeys;
  readonly faults: FaultController;
  readonly counter: RequestCounter;
  readonly entraOrigin: () => string;
}

const graphError = (reply: FastifyReply, status: number, code: string, message: string) =>
  reply.code(status).send({
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().slice(0, 19),
        'request-id': randomUUID(),
        'client-request-id': randomUUID(),
      },
    },
  });

// Windows time zone names (what Outlook documents) for the zones the sandbox converts to.
const windowsZones: Record<string, string> = {
  UTC: 'UTC',
  'Pacific Standard Time': 'America/Los_Angeles',
  'Eastern Standard Time': 'America/New_York',
  'GMT Standard Time': 'Europe/London',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Tokyo Standard Time': 'Asia/Tokyo',
};

/** The `Prefer` preferences Outlook honours on events, in the order they were sent (several headers or one comma-joined list). */
function outlookPreferences(
  header: string | string[] | undefined,
): { name: 'outlook.timezone' | 'outlook.body-content-type'; value: string }[] {
  const values = (Array.isArray(header) ? header : header ? [header] : []).flatMap((value) =>
    value.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/),
  );
  return values
    .flatMap((value) => {
      const match =
        /^\s*(outlook\.timezone|outlook\.body-content-type)\s*=\s*"?([^"]*)"?\s*$/i.exec(value);
      const name = match?.[1]?.toLowerCase() as
        'outlook.timezone' | 'outlook.body-content-type' | undefined;
      if (!match || !name) return [];
      if (name === 'outlook.body-content-type' && !/^(text|html)$/i.test(match[2] ?? '')) return [];
      return [
        {
          name,
          value:
            name === 'outlook.body-content-type'
              ? (match[2] ?? '').toLowerCase()
              : (match[2] ?? ''),
        },
      ];
    })
    .filter(
      (preference, index, all) =>
        all.findIndex((other) => other.name === preference.name) === index,
    );
}

/** Wall time in `zone` as Graph writes it: no offset, seven fractional digits. */
function wallTime(ms: number, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(ms))
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.0000000`;
}

/**
 * The Graph calendarView stand-in: a required time window, overlap semantics, `$select`, `$top`
 * (default 10, max 1000), `$orderby=start/dateTime`, `$skip` paging via an absolute nextLink,
 * `Prefer: outlook.timezone` and `Prefer: outlook.body-content-type`, each confirmed in
 * Preference-Applied only when asked for (https://learn.microsoft.com/graph/api/event-get#request-headers).
 * Events are generated around the current time on every request.
 */
export function createGraphApp(options: GraphOptions): { app: FastifyInstance } {
  const app = createServiceApp('graph', options.tls, options.faults, options.counter, {
    throttled: (reply, retryAfter) => {
      reply.header('retry-after', String(retryAfter));
      return reply.code(429).send({
        error: {
          code: 'TooManyRequests',
          message: 'Please retry again later.',
          innerError: {
            code: '429',
            date: new Date().toISOString().slice(0, 19),
            message: 'Please retry after',
            'request-id': randomUUID(),
            status: '429',
          },
        },
      });
    },
    unavailable: (reply) =>
      graphError(reply, 503, 'serviceNotAvailable', 'The service is temporarily unavailable.'),
  });

  for (const path of ['/v1.0/me/calendarView', '/v1.0/me/calendar/calendarView']) {
    app.get<{ Querystring: Record<string, string | undefined> }>(path, async (request, reply) => {
      const caller = await verifyBearer(
        request.headers.authorization,
        options.keys.publicKey,
        'https://graph.microsoft.com',
        options.entraOrigin(),
      );
      if (!caller)
        return graphError(
          reply,
          401,
          'InvalidAuthenticationToken',
          request.headers.authorization
            ? 'Lifetime validation failed, the token is expired.'
            : 'Access token is empty.',
        );
      request.sandboxUser = caller.oid;
      if (
        !caller.scopes.some(
          (scope) => scope === 'Calendars.Read' || scope === 'Calendars.ReadWrite',
        )
      )
        return graphError(
          reply,
          403,
          'ErrorAccessDenied',
          'Access is denied. Check credentials and try again.',
        );
      const user = sampleUsers.find((candidate) => candidate.oid === caller.oid);
      if (!user)
        return graphError(
          reply,
          404,
          'ErrorItemNotFound',
          'The specified object was not found in the store.',
        );
      const { startDateTime, endDateTime } = request.query;
      const start = startDateTime
        ? Date.parse(
            startDateTime.endsWith('Z') || /[+-]\d{2}:\d{2}$/.test(startDateTime)
              ? startDateTime
              : `${startDateTime}Z`,
          )
        : NaN;
      const end = endDateTime
        ? Date.parse(
            endDateTime.endsWith('Z') || /[+-]\d{2}:\d{2}$/.test(endDateTime)
              ? endDateTime
              : `${endDateTime}Z`,
          )
        : NaN;
      if (Number.isNaN(start) || Number.isNaN(end))
        return graphError(
          reply,
          400,
          'ErrorInvalidParameter',
          'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
        );
      const top = Number(request.query.$top ?? 10);
      if (!Number.isInteger(top) || top < 1 || top > 1000)
        return graphError(
          reply,
          400,
          'ErrorInvalidParameter',
          "The value of the '$top' parameter must be between 1 and 1000.",
        );
      const skip = Number(request.query.$skip ?? 0);
      const preferences = outlookPreferences(request.headers.prefer);
      const preferred =
        preferences.find((preference) => preference.name === 'outlook.timezone')?.value || 'UTC';
      const bodyType =
        preferences.find((preference) => preference.name === 'outlook.body-content-type')?.value ??
        'html';
      const zone =
        windowsZones[preferred] ??
        (Intl.supportedValuesOf('timeZone').includes(preferred) ? preferred : 'UTC');
      const select = request.query.$select?.split(',').map((field) => field.trim());

      let events = calendarFor(user, Date.now()).filter(
        (event) => event.startMs < end && event.endMs > start,
      );
      events = events.sort((a, b) => a.startMs - b.startMs);
      if (request.query.$orderby?.startsWith('start/dateTime desc')) events.reverse();
      const page = events.slice(skip, skip + top);
      const value = page.map((event) => {
        const full: Record<string, unknown> = {
          ...event.json,
          start: { dateTime: wallTime(event.startMs, zone), timeZone: preferred },
          end: { dateTime: wallTime(event.endMs, zone), timeZone: preferred },
        };
        const body = event.json.body as { contentType: string; content: string };
        if (bodyType === 'text')
          full.body = { contentType: 'text', content: htmlToText(body.content) };
        return select
          ? Object.fromEntries(
              Object.entries(full).filter(
                ([key]) => key === 'id' || key === '@odata.etag' || select.includes(key),
              ),
            )
          : full;
      });
      if (preferences.length > 0)
        reply.header(
          'preference-applied',
          preferences.map((preference) => `${preference.name}="${preference.value}"`).join(','),
        );
      const body: Record<string, unknown> = {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${user.oid}')/calendarView`,
        value,
      };
      if (skip + top < events.length) {
        const next = new URL(request.url, `https://${request.headers.host ?? 'localhost'}`);
        next.searchParams.set('$skip', String(skip + top));
        body['@odata.nextLink'] = next.toString();
      }
      return body;
    });
  }
  return { app };
}
