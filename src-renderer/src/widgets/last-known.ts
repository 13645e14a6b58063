import type { IntegrationList } from '../../../src-shared/domain/integrations';
import type { MeetingList } from '../../../src-shared/domain/meetings';
import type { TaskList } from '../../../src-shared/domain/tasks';

/** A widget shows what it last knew because its sources cannot be reached now. */
export interface Stale {
  /** When what is shown was fetched (epoch ms). */
  readonly asOf: number;
  /** Why fresh data is missing, in the user's words. */
  readonly reason: string;
}

/** "as of 10:42": the age of what a widget keeps showing. */
export function staleNotice(stale: Stale | undefined, what: string): string | undefined {
  if (!stale) return undefined;
  const at = new Date(stale.asOf).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
  });
  // The reason itself is the source's own notice beside this one (tasks-store.ts taskNotices).
  return `Showing ${what} as of ${at}, the last Workstation could read.`;
}

const unreachable = 'the source cannot be reached right now.';

/**
 * The task list to show after a refresh: the new one, plus, for each source that failed this time
 * (unreachable, offline), the tasks it listed last time, with their age. A source the organisation
 * turned off, or that needs a reconnect, keeps nothing: only failures keep the last answer.
 * Kept in memory only; nothing is written anywhere.
 */
export function keepTasks(
  previous: TaskList | undefined,
  next: TaskList,
  /** What the previous list already kept: kept tasks keep their first age. */
  previousStale?: Stale,
): { list: TaskList; stale: Stale | undefined } {
  if (!previous || previous.tasks.length === 0) return { list: next, stale: undefined };
  const failed = next.sources
    ? next.sources.filter((source) => source.state === 'failed')
    : next.status.state === 'failed'
      ? [...new Set(previous.tasks.map((task) => task.source))].map((source) => ({
          source,
          message: next.status.message,
        }))
      : [];
  const failedIds = new Set(failed.map((source) => source.source));
  const kept = previous.tasks.filter(
    (task) => failedIds.has(task.source) && !next.tasks.some((fresh) => fresh.id === task.id),
  );
  if (kept.length === 0) return { list: next, stale: undefined };
  const fetchedAt = (source: string) =>
    previous.sources?.find((candidate) => candidate.source === source)?.fetchedAt ??
    previous.status.fetchedAt ??
    Date.now();
  const asOf = Math.min(
    ...kept.map((task) => fetchedAt(task.source)),
    previousStale?.asOf ?? Infinity,
  );
  const due = (iso: string | undefined) => (iso ? Date.parse(iso) : Infinity);
  const tasks = [...next.tasks, ...kept].sort(
    (a, b) => Number(b.overdue) - Number(a.overdue) || due(a.dueAt) - due(b.dueAt),
  );
  return {
    list: { ...next, tasks },
    stale: { asOf, reason: failed[0]?.message ?? unreachable },
  };
}

/** The meetings to show after a refresh: the last agenda, with its age, when no calendar answered. */
export function keepMeetings(
  previous: MeetingList | undefined,
  next: MeetingList,
): { list: MeetingList; stale: Stale | undefined } {
  if (
    next.status.state !== 'failed' ||
    !previous ||
    previous.status.state !== 'ok' ||
    previous.meetings.length + previous.allDay.length === 0
  )
    return { list: next, stale: undefined };
  return {
    list: previous,
    stale: {
      asOf: previous.status.fetchedAt ?? Date.now(),
      reason: next.status.message ?? unreachable,
    },
  };
}

/**
 * What of the integrations' cards a widget depends on (availability, each connection's state):
 * when it changes (an admin turned one off, a connect finished), the widget loads again.
 */
export function integrationsSignature(list: IntegrationList): string {
  return list.integrations
    .map(
      (item) =>
        `${item.id}:${item.availability}:${item.connections.map((connection) => `${connection.connectionId}=${connection.state}`).join(',')}`,
    )
    .join('|');
}

/** When the call itself fails (Workstation or the network is down), what is shown stays, with its age. */
export function keepOnFailure(
  fetchedAt: number | undefined,
  hasData: boolean,
  message: string,
): Stale | undefined {
  return hasData && fetchedAt !== undefined ? { asOf: fetchedAt, reason: message } : undefined;
}
