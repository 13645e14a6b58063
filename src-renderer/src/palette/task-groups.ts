import type { CrmTask } from '../../../src-shared/domain/tasks';
import { dayLabel } from './meeting-time';

/** Where a task sits on the home view. */
export type TaskBucket = 'overdue' | 'today' | 'upcoming';

/** The group headings, in the order the list shows them. */
export const taskBucketHeadings: Readonly<Record<TaskBucket, string>> = {
  overdue: 'Overdue tasks',
  today: 'Tasks due today',
  upcoming: 'Upcoming tasks',
};

/**
 * A due date as local time. Salesforce's `ActivityDate` is a plain date ("2026-11-30"), which
 * `Date.parse` would read as UTC midnight (the day before, west of Greenwich); Dynamics sends a
 * full timestamp.
 */
export function dueTime(dueAt: string): number {
  const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dueAt);
  if (plain) return new Date(Number(plain[1]), Number(plain[2]) - 1, Number(plain[3])).getTime();
  return Date.parse(dueAt);
}

/** Overdue (main says so, or due before today), due today, or later / undated. */
export function taskBucket(task: CrmTask, now: number): TaskBucket {
  if (task.overdue) return 'overdue';
  if (!task.dueAt) return 'upcoming';
  const label = dayLabel(dueTime(task.dueAt), now);
  if (label === 'Today') return 'today';
  if (dueTime(task.dueAt) < now && label !== 'Today') return 'overdue';
  return 'upcoming';
}

/** The task's right-hand note: "Overdue · Nov 28", "Due today", "Due Tomorrow", "No due date". */
export function taskWhen(task: CrmTask, now: number): string {
  if (!task.dueAt) return task.overdue ? 'Overdue' : 'No due date';
  const at = dueTime(task.dueAt);
  const day = dayLabel(at, now);
  const short = new Date(at).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  if (taskBucket(task, now) === 'overdue') return `Overdue · ${short}`;
  if (day === 'Today') return 'Due today';
  if (day === 'Tomorrow') return 'Due tomorrow';
  return `Due ${short}`;
}
