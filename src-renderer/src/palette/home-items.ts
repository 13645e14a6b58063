import type { Meeting, MeetingList } from '../../../src-shared/domain/meetings';
import type { CrmTask, TaskList } from '../../../src-shared/domain/tasks';
import { isHappeningNow, meetingWhen } from './meeting-time';
import type { PaletteAction, PaletteGroup, PaletteItem } from './palette-item';
import { taskBucket, taskBucketHeadings, taskWhen, type TaskBucket } from './task-groups';

/** How many tasks the home view shows at first, and how many more each "Show more" adds. */
export const TASKS_PAGE = 8;
/** How many more tasks each "Show more" adds. */
export const TASKS_MORE = TASKS_PAGE * 3;

const providerName = { teams: 'Teams', zoom: 'Zoom', webex: 'Webex', gong: 'Gong' } as const;

/** A meeting's actions, primary first: Join when it has a meeting link, else Open in Outlook. */
export function meetingActions(meeting: Meeting): PaletteAction[] {
  const actions: PaletteAction[] = [];
  if (meeting.join)
    actions.push({
      id: 'join',
      label: `Join on ${providerName[meeting.join.provider]}`,
      shortcut: { key: 'Enter' },
      effect: { kind: 'open', url: meeting.join.url },
    });
  if (meeting.webLink)
    actions.push({
      id: 'open',
      label: 'Open in Outlook',
      shortcut: meeting.join ? { key: 'o', mod: true } : { key: 'Enter' },
      effect: { kind: 'open', url: meeting.webLink },
    });
  if (meeting.join)
    actions.push({
      id: 'copy-link',
      label: 'Copy meeting link',
      shortcut: { key: 'c', mod: true },
      effect: { kind: 'copy', text: meeting.join.url, what: 'Meeting link' },
    });
  return actions;
}

/** A task's actions: Open in its CRM (Enter), Complete (Ctrl/Cmd+Enter), Copy link. */
export function taskActions(task: CrmTask): PaletteAction[] {
  const service = task.sourceLabel.split(' · ')[0]?.trim();
  return [
    {
      id: 'open',
      label: service ? `Open in ${service}` : 'Open',
      shortcut: { key: 'Enter' },
      effect: { kind: 'open', url: task.url },
    },
    {
      id: 'complete',
      label: 'Complete',
      shortcut: { key: 'Enter', mod: true },
      effect: { kind: 'complete', taskId: task.id, subject: task.subject },
    },
    {
      id: 'copy-link',
      label: 'Copy link',
      shortcut: { key: 'c', mod: true },
      effect: { kind: 'copy', text: task.url, what: 'Link' },
    },
  ];
}

/**
 * Today's and tomorrow's meetings, the one under way or starting within five minutes first (its
 * primary action is Join), then by start; all-day events last.
 */
export function meetingItems(list: MeetingList | undefined, now: number): PaletteItem[] {
  if (!list) return [];
  const timed = list.meetings
    .filter((meeting) => Date.parse(meeting.end) > now)
    .map((meeting) => ({ meeting, live: isHappeningNow(meeting.start, meeting.end, now) }))
    .sort(
      (a, b) =>
        Number(b.live) - Number(a.live) ||
        Date.parse(a.meeting.start) - Date.parse(b.meeting.start),
    );
  return [
    ...timed.map(({ meeting, live }): PaletteItem => ({
      key: `meeting:${meeting.id}`,
      icon: 'meeting',
      title: meeting.subject,
      subtitle: meeting.location ?? meeting.organizer ?? '',
      meta: meetingWhen(meeting.start, meeting.end, now),
      ...(live ? { tone: 'accent' as const } : {}),
      actions: meetingActions(meeting),
    })),
    ...list.allDay.map((meeting): PaletteItem => ({
      key: `meeting:${meeting.id}`,
      icon: 'meeting',
      title: meeting.subject,
      subtitle: meeting.location ?? meeting.organizer ?? '',
      meta: 'All day',
      actions: meetingActions(meeting),
    })),
  ];
}

/** What the home view lists: meetings, then tasks by overdue / today / upcoming, paged. */
export interface HomeList {
  readonly groups: readonly PaletteGroup[];
  /** Open tasks, minus those completed and waiting out their Undo. */
  readonly openTasks: number;
  readonly shownTasks: number;
}

/**
 * The home view as one list, so the arrow keys walk meetings and tasks alike. The first `shown`
 * tasks (in main's order: overdue first, then by due date) are listed in their groups; when more
 * are open, a "Show more" row ends the list.
 */
export function homeList(options: {
  readonly tasks: TaskList | undefined;
  readonly meetings: MeetingList | undefined;
  readonly now: number;
  readonly shown: number;
  /** Tasks completed but still undoable: already gone from the user's point of view. */
  readonly hidden?: ReadonlySet<string>;
}): HomeList {
  const { now, shown } = options;
  const groups: PaletteGroup[] = [];
  const meetings = meetingItems(options.meetings, now);
  if (meetings.length > 0) groups.push({ key: 'meetings', heading: 'Meetings', items: meetings });

  const open = (options.tasks?.tasks ?? []).filter((task) => !options.hidden?.has(task.id));
  const labelled = new Set(open.map((task) => task.source)).size > 1;
  const page = open.slice(0, Math.max(0, shown));
  const buckets: Record<TaskBucket, PaletteItem[]> = { overdue: [], today: [], upcoming: [] };
  for (const task of page) {
    const bucket = taskBucket(task, now);
    buckets[bucket].push({
      key: `task:${task.id}`,
      icon: 'task',
      title: task.subject,
      subtitle: task.regarding?.name ?? '',
      meta: taskWhen(task, now),
      ...(bucket === 'overdue' ? { tone: 'danger' as const } : {}),
      ...(labelled ? { sourceLabel: task.sourceLabel } : {}),
      actions: taskActions(task),
    });
  }
  for (const bucket of ['overdue', 'today', 'upcoming'] as const)
    if (buckets[bucket].length > 0)
      groups.push({
        key: `tasks-${bucket}`,
        heading: taskBucketHeadings[bucket],
        items: buckets[bucket],
      });

  const remaining = open.length - page.length;
  const last = groups.at(-1);
  if (remaining > 0 && last) {
    const more: PaletteItem = {
      key: 'show-more-tasks',
      icon: 'more',
      title: `Show ${Math.min(TASKS_MORE, remaining)} more tasks`,
      subtitle: `${page.length} of ${open.length} open tasks shown`,
      actions: [
        {
          id: 'show-more',
          label: 'Show more tasks',
          shortcut: { key: 'Enter' },
          effect: { kind: 'show_more' },
        },
      ],
    };
    groups[groups.length - 1] = { ...last, items: [...last.items, more] };
  }
  return { groups, openTasks: open.length, shownTasks: page.length };
}
