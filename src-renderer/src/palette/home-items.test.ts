import { describe, expect, it } from 'vitest';
import type { Meeting, MeetingList } from '../../../src-shared/domain/meetings';
import type { CrmTask, TaskList } from '../../../src-shared/domain/tasks';
import { homeList, TASKS_MORE } from './home-items';

const now = new Date(2026, 10, 30, 10, 0).getTime();
const local = (day: number, hour: number, minute = 0) =>
  new Date(2026, 10, day, hour, minute).toISOString();

const task = (id: string, over: Partial<CrmTask> = {}): CrmTask => ({
  id,
  source: 'dynamics:contoso',
  sourceLabel: 'Dynamics 365 · contoso',
  subject: `Task ${id}`,
  overdue: false,
  priority: 'normal',
  url: `https://contoso.crm4.dynamics.com/main.aspx?id=${id}`,
  ...over,
});
const tasks = (list: CrmTask[]): TaskList => ({ tasks: list, status: { state: 'ok' } });
const meeting = (id: string, start: string, end: string, join = true): Meeting => ({
  id,
  subject: `Meeting ${id}`,
  start,
  end,
  isAllDay: false,
  ...(join
    ? { join: { url: `https://teams.microsoft.com/l/${id}`, provider: 'teams' as const } }
    : {}),
  webLink: `https://outlook.office.com/calendar/item/${id}`,
});
const meetings = (list: Meeting[]): MeetingList => ({
  meetings: list,
  allDay: [],
  status: { state: 'ok' },
});

describe('home list', () => {
  it('puts the meeting under way or starting within 5 minutes first, with Join as its primary action', () => {
    const { groups } = homeList({
      tasks: undefined,
      meetings: meetings([
        meeting('later', local(30, 11, 30), local(30, 12)),
        meeting('soon', local(30, 10, 3), local(30, 10, 30)),
        meeting('over', local(30, 8), local(30, 9)),
      ]),
      now,
      shown: 8,
    });
    expect(groups[0]?.heading).toBe('Meetings');
    expect(groups[0]?.items.map((item) => [item.title, item.meta, item.actions[0]?.label])).toEqual(
      [
        ['Meeting soon', 'In 3 min', 'Join on Teams'],
        ['Meeting later', 'Today 11:30', 'Join on Teams'],
      ],
    );
    const noLink = homeList({
      tasks: undefined,
      meetings: meetings([meeting('x', local(30, 11), local(30, 12), false)]),
      now,
      shown: 8,
    });
    expect(noLink.groups[0]?.items[0]?.actions[0]?.label).toBe('Open in Outlook');
  });

  it('groups tasks as overdue, due today and upcoming, each with Complete', () => {
    const { groups } = homeList({
      tasks: tasks([
        task('a', { overdue: true, dueAt: local(27, 9) }),
        task('b', { dueAt: '2026-11-30' }),
        task('c', { dueAt: local(30, 17) }),
        task('d', { dueAt: '2026-12-03' }),
        task('e'),
      ]),
      meetings: undefined,
      now,
      shown: 8,
    });
    expect(groups.map((group) => [group.heading, group.items.map((item) => item.title)])).toEqual([
      ['Overdue tasks', ['Task a']],
      ['Tasks due today', ['Task b', 'Task c']],
      ['Upcoming tasks', ['Task d', 'Task e']],
    ]);
    expect(groups[0]?.items[0]?.meta).toMatch(/^Overdue · /);
    expect(groups[1]?.items[0]?.meta).toBe('Due today');
    expect(groups[2]?.items[1]?.meta).toBe('No due date');
    expect(groups[0]?.items[0]?.actions.map((action) => action.label)).toEqual([
      'Open in Dynamics 365',
      'Complete',
      'Copy link',
    ]);
  });

  it('shows every open task page by page, with a count and Show more', () => {
    const all = Array.from({ length: 63 }, (_, index) => task(`t${index}`));
    const first = homeList({ tasks: tasks(all), meetings: undefined, now, shown: 8 });
    const rows = first.groups.flatMap((group) => group.items);
    expect([first.openTasks, first.shownTasks, rows.length]).toEqual([63, 8, 9]);
    expect(rows.at(-1)?.title).toBe(`Show ${TASKS_MORE} more tasks`);
    const last = homeList({
      tasks: tasks(all),
      meetings: undefined,
      now,
      shown: 8 + 3 * TASKS_MORE,
    });
    expect(last.groups.flatMap((group) => group.items)).toHaveLength(63);
  });

  it('leaves out tasks completed and waiting out their Undo', () => {
    const list = homeList({
      tasks: tasks([task('a'), task('b')]),
      meetings: undefined,
      now,
      shown: 8,
      hidden: new Set(['a']),
    });
    expect(list.openTasks).toBe(1);
    expect(list.groups.flatMap((group) => group.items.map((item) => item.title))).toEqual([
      'Task b',
    ]);
  });
});
