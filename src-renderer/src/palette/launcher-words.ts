import type { SourceStatus } from '../../../src-shared/domain/search';
import type { MeetingList } from '../../../src-shared/domain/meetings';
import type { TaskList } from '../../../src-shared/domain/tasks';
import { taskNotices } from '../widgets/tasks-store';
import type { HomeList } from './home-items';
import { sourceStateView, sourceStateWords } from './source-states';

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** What the launcher says besides its rows: the footer's count, the live region, the notices. */
export interface LauncherWords {
  /** The footer's left side: "63 open tasks", "8 results", "Searching…". */
  readonly summary: string;
  /** Read by screen readers when it changes: counts, and each source in trouble. */
  readonly announcement: string;
  /** Lines above the home list: a CRM in trouble, nothing connected. */
  readonly notices: readonly string[];
}

/** The launcher's words for the empty box (`home`) or for a query's results. */
export function launcherWords(
  view:
    | {
        readonly home: true;
        readonly list: HomeList;
        readonly tasks: TaskList | undefined;
        readonly meetings: MeetingList | undefined;
      }
    | {
        readonly home: false;
        readonly phase: 'idle' | 'searching' | 'done';
        readonly results: number;
        readonly sources: readonly SourceStatus[];
      },
): LauncherWords {
  if (view.home) {
    const summary =
      view.tasks?.status.state === 'ok'
        ? plural(view.list.openTasks, 'open task', 'open tasks')
        : '';
    const meetings = view.list.groups.find((group) => group.key === 'meetings')?.items.length ?? 0;
    const meetingsStatus = view.meetings?.status;
    return {
      summary,
      announcement: [summary, view.meetings ? plural(meetings, 'meeting', 'meetings') : '']
        .filter(Boolean)
        .join(', '),
      // Both widgets give the same reason when no tenant is set up: say it once.
      notices: [
        ...new Set([
          ...taskNotices(view.tasks),
          ...(meetingsStatus && meetingsStatus.state !== 'ok' && meetingsStatus.message
            ? [meetingsStatus.message]
            : []),
        ]),
      ],
    };
  }
  const count = plural(view.results, 'result', 'results');
  // With no rows the list's own line says why ("No results", "No source could answer"); a footer
  // "0 results" beside it would only contradict it. The live region still counts.
  const summary = view.results > 0 ? count : view.phase === 'searching' ? 'Searching…' : '';
  const troubles = view.sources
    .filter((source) => sourceStateView(source.state).trouble)
    .map(sourceStateWords);
  return {
    summary,
    // Announced once the query is answered, not at every streamed batch.
    announcement: view.phase === 'done' ? [count, ...troubles].join('. ') : '',
    notices: [],
  };
}
