import { createHash } from 'node:crypto';
import type { SearchResult } from '../../../src-shared/domain/search';
import { normalizeQuery } from '../ranking';
import { healthFromError, type ISearchProvider } from '../search-provider';
import type { OutlookCalendar } from './outlook-calendar';

const SEARCH_DAYS = 14;

/**
 * Meetings as a search source: the next two weeks' meetings whose subject contains the query.
 * One calendarView request per query (the engine caches and single-flights it, which keeps
 * Outlook's 4-concurrent-requests-per-mailbox limit out of reach).
 */
export class OutlookProvider implements ISearchProvider {
  readonly id: string;
  readonly label: string;

  constructor(
    private readonly calendar: OutlookCalendar,
    /** The connection: chips and result ids are namespaced by it. */
    source: { readonly id: string; readonly label: string } = {
      id: 'outlook',
      label: 'Outlook calendar',
    },
  ) {
    this.id = source.id;
    this.label = source.label;
  }

  async health(options: { readonly signal: AbortSignal }) {
    try {
      await this.calendar.within(1, options.signal);
      return { state: 'ok' as const };
    } catch (error) {
      return healthFromError(error);
    }
  }

  async search(
    text: string,
    options: { readonly signal: AbortSignal },
  ): Promise<readonly SearchResult[]> {
    const needle = normalizeQuery(text);
    const { meetings, allDay } = await this.calendar.within(SEARCH_DAYS, options.signal);
    const fetchedAt = Date.now();
    return [...meetings, ...allDay]
      .filter((meeting) => normalizeQuery(meeting.subject).includes(needle))
      .flatMap((meeting) => {
        const url = meeting.join?.url ?? meeting.webLink;
        const when = new Date(meeting.start).toLocaleString('en-US', {
          weekday: 'short',
          month: 'short',
          day: 'numeric',
          hour: 'numeric',
          minute: '2-digit',
        });
        return url
          ? [
              {
                id: `${this.id}:${createHash('sha256').update(meeting.id).digest('base64url').slice(0, 22)}`,
                source: this.id,
                entityType: 'meeting',
                title: meeting.subject,
                subtitle: ['Meeting', when, meeting.organizer].filter(Boolean).join(' · '),
                url,
                score: 0,
                fetchedAt,
              },
            ]
          : [];
      });
  }
}
