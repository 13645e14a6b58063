import { useCallback } from 'react';
import { useSlice, useStores } from '../app/stores-context';
import { staleNotice } from './last-known';
import { meetingLabel } from './meetings-store';
import { openLink } from './open-link';
import { useVisibleRefresh } from './use-visible-refresh';

const providerName = { teams: 'Teams', zoom: 'Zoom', webex: 'Webex', gong: 'Gong' } as const;

/** Upcoming meetings with one-click Join; all-day events apart. */
export function MeetingsWidget() {
  const { meetings, client } = useStores();
  const list = useSlice(meetings, (state) => state.list);
  const error = useSlice(meetings, (state) => state.error);
  const stale = useSlice(meetings, (state) => state.stale);
  const refresh = useCallback(() => void meetings.getState().load(), [meetings]);
  useVisibleRefresh(refresh, 60_000);
  const now = list?.status.fetchedAt ?? 0;

  return (
    <section className="widget" aria-labelledby="meetings-heading">
      <h2 id="meetings-heading">Upcoming meetings</h2>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {stale ? (
        <p className="hint stale" role="status">
          {staleNotice(stale, 'the agenda')}
        </p>
      ) : null}
      {!stale && list?.status.state !== 'ok' && list?.status.message ? (
        <p className="hint">{list.status.message}</p>
      ) : null}
      {list && list.allDay.length > 0 ? (
        <p className="hint">All day: {list.allDay.map((meeting) => meeting.subject).join(', ')}</p>
      ) : null}
      <ul className="widget-list" aria-label="Meetings">
        {list?.meetings.slice(0, 8).map((meeting) => (
          <li key={meeting.id} className="meeting" aria-label={meeting.subject}>
            <span className="meeting-when">{meetingLabel(meeting.start, meeting.end, now)}</span>
            <span className="meeting-subject">{meeting.subject}</span>
            {meeting.join ? (
              <button
                type="button"
                className="primary-button"
                aria-label={`Join ${meeting.subject} on ${providerName[meeting.join.provider]}`}
                onClick={() => void openLink(client, meeting.join?.url ?? '')}
              >
                Join {providerName[meeting.join.provider]}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
