/** Within this long of its start a meeting counts as starting now: Join goes first (5 minutes). */
export const STARTING_SOON_MS = 5 * 60_000;

const time = (at: Date) =>
  at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

const dayStart = (at: number) => {
  const day = new Date(at);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
};

/** Whole calendar days from `now`'s day to `at`'s day, in local time (DST-safe). */
function daysBetween(now: number, at: number): number {
  const from = new Date(dayStart(now));
  const to = new Date(dayStart(at));
  return Math.round(
    (Date.UTC(to.getFullYear(), to.getMonth(), to.getDate()) -
      Date.UTC(from.getFullYear(), from.getMonth(), from.getDate())) /
      86_400_000,
  );
}

/** "Today", "Tomorrow", "Yesterday", or the weekday and date: the day part of a label. */
export function dayLabel(at: number, now: number): string {
  const days = daysBetween(now, at);
  if (days === 0) return 'Today';
  if (days === 1) return 'Tomorrow';
  if (days === -1) return 'Yesterday';
  return new Date(at).toLocaleDateString(undefined, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
  });
}

/** Whether the meeting is under way or starts within five minutes. */
export function isHappeningNow(startIso: string, endIso: string, now: number): boolean {
  const start = Date.parse(startIso);
  return start - STARTING_SOON_MS <= now && Date.parse(endIso) > now;
}

/** "Now · until 12:00", "In 4 min", "Today 11:30", "Tomorrow 09:00": when, at a glance. */
export function meetingWhen(startIso: string, endIso: string, now: number): string {
  const start = Date.parse(startIso);
  const end = Date.parse(endIso);
  if (start <= now && end > now) return `Now · until ${time(new Date(end))}`;
  if (start > now && start - now <= STARTING_SOON_MS)
    return `In ${Math.max(1, Math.round((start - now) / 60_000))} min`;
  return `${dayLabel(start, now)} ${time(new Date(start))}`;
}
