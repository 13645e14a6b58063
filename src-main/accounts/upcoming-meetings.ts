import type { Meeting, MeetingList } from '../../src-shared/domain/meetings';
import type { ConnectionManager } from './connection-manager';
import { nothingLive, widgetFailure } from './crm-tasks';

/** Upcoming meetings from every connected calendar, in start order; one failing calendar is reported, not fatal. */
export class UpcomingMeetings {
  constructor(private readonly connections: ConnectionManager) {}

  async list(): Promise<MeetingList> {
    const sources = (await this.connections.live()).filter((connection) =>
      connection.descriptor.info.capabilities.includes('meetings'),
    );
    if (sources.length === 0)
      return {
        meetings: [],
        allDay: [],
        status: await nothingLive(this.connections, 'meetings', 'your meetings'),
      };
    const answers = await Promise.all(
      sources.map(async (connection) => {
        try {
          return {
            ok: true as const,
            ...((await (await connection.meetings())?.upcoming()) ?? { meetings: [], allDay: [] }),
          };
        } catch (error) {
          return { ok: false as const, failure: widgetFailure(error) };
        }
      }),
    );
    const byStart = (a: Meeting, b: Meeting) => Date.parse(a.start) - Date.parse(b.start);
    const meetings = answers.flatMap((answer) => (answer.ok ? answer.meetings : [])).sort(byStart);
    const allDay = answers.flatMap((answer) => (answer.ok ? answer.allDay : [])).sort(byStart);
    const failed = answers.find((answer) => !answer.ok);
    if (answers.some((answer) => answer.ok))
      return { meetings, allDay, status: { state: 'ok', fetchedAt: Date.now() } };
    return {
      meetings,
      allDay,
      status:
        failed && !failed.ok
          ? failed.failure
          : { state: 'failed', message: 'Could not be loaded.' },
    };
  }
}
