import type { Logger } from 'pino';
import type { Meeting, MeetingList } from '../../src-shared/domain/meetings';

/** What a reminder tells the user; the Join link is opened only through the link guard. */
export interface MeetingReminder {
  readonly meetingId: string;
  readonly subject: string;
  readonly start: string;
  readonly joinUrl: string;
}

/** A clock the tests move by hand: the time now, and a timer that answers how to cancel it. */
export interface ReminderClock {
  now(): number;
  schedule(callback: () => void, ms: number): () => void;
}

export interface MeetingRemindersOptions {
  /** The upcoming meetings (cancelled and declined ones already left out by the sources). */
  readonly meetings: () => Promise<MeetingList | undefined>;
  /** Whether the user wants reminders (Settings > General). */
  readonly enabled: () => Promise<boolean>;
  readonly notify: (reminder: MeetingReminder) => void;
  readonly clock: ReminderClock;
  readonly logger: Pick<Logger, 'warn'>;
  /** How long before the start the reminder shows (one minute). */
  readonly leadMs?: number;
  /** How often the meetings are read again, so new, moved and cancelled ones are followed (5 minutes). */
  readonly refreshMs?: number;
}

const MINUTE = 60_000;

/**
 * Reminds the user one minute before each upcoming meeting that has a Join link, once per meeting
 * and start time. Plain Node: the clock and the notifier are handed in, so it is tested without
 * Electron or real time. A meeting that leaves the list (cancelled, declined since) or moves is
 * rescheduled at the next refresh; turning reminders off cancels every pending one.
 */
export class MeetingReminders {
  readonly #pending = new Map<string, () => void>();
  readonly #reminded = new Set<string>();
  #cancelRefresh: (() => void) | undefined;
  #stopped = true;
  readonly #lead: number;
  readonly #every: number;

  constructor(private readonly options: MeetingRemindersOptions) {
    this.#lead = options.leadMs ?? MINUTE;
    this.#every = options.refreshMs ?? 5 * MINUTE;
  }

  /** Reads the meetings now and then every refresh interval, until stop(). */
  start(): Promise<void> {
    this.#stopped = false;
    return this.#tick();
  }

  stop(): void {
    this.#stopped = true;
    this.#cancelRefresh?.();
    this.#cancelRefresh = undefined;
    this.#clear();
  }

  /** Reads the meetings and settings again (also after the user changes the setting). */
  async refresh(): Promise<void> {
    if (this.#stopped) return;
    let wanted: Meeting[] = [];
    try {
      if (await this.options.enabled())
        wanted = ((await this.options.meetings())?.meetings ?? []).filter(
          (meeting) => meeting.join !== undefined && !meeting.isAllDay,
        );
    } catch (error) {
      // Keep what is scheduled; the widget shows the failure, the next refresh tries again.
      this.options.logger.warn({ err: error }, 'meeting reminders could not read meetings');
      return;
    }
    if (this.#stopped) return;
    const keep = new Set<string>();
    const now = this.options.clock.now();
    // Forget reminders of meetings long past, so a launcher that runs for weeks stays small.
    for (const key of this.#reminded)
      if (Number(key.slice(key.lastIndexOf('@') + 1)) < now - 24 * 60 * MINUTE)
        this.#reminded.delete(key);
    for (const meeting of wanted) {
      const start = Date.parse(meeting.start);
      const key = `${meeting.id}@${start}`;
      if (!Number.isFinite(start) || start <= now || this.#reminded.has(key)) continue;
      keep.add(key);
      if (this.#pending.has(key)) continue;
      const reminder: MeetingReminder = {
        meetingId: meeting.id,
        subject: meeting.subject,
        start: meeting.start,
        joinUrl: meeting.join!.url,
      };
      const cancel = this.options.clock.schedule(
        () => {
          this.#pending.delete(key);
          this.#reminded.add(key);
          this.options.notify(reminder);
        },
        Math.max(0, start - this.#lead - now),
      );
      this.#pending.set(key, cancel);
    }
    for (const [key, cancel] of this.#pending) {
      if (keep.has(key)) continue;
      cancel();
      this.#pending.delete(key);
    }
  }

  /** Meetings with a reminder still to come, for tests and diagnostics. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  async #tick(): Promise<void> {
    await this.refresh();
    if (this.#stopped) return;
    this.#cancelRefresh = this.options.clock.schedule(() => void this.#tick(), this.#every);
  }

  #clear(): void {
    for (const cancel of this.#pending.values()) cancel();
    this.#pending.clear();
  }
}
