import { useCallback } from 'react';
import { useSlice, useStores } from '../app/stores-context';
import { staleNotice } from './last-known';
import { showsSourceLabels, taskNotices } from './tasks-store';
import { openLink } from './open-link';
import { useVisibleRefresh } from './use-visible-refresh';

const due = (iso: string | undefined) =>
  iso
    ? new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
    : 'no due date';

/** My CRM Tasks: open tasks from every connected CRM, overdue first; open in the CRM or mark complete. */
export function TasksWidget() {
  const { tasks, client } = useStores();
  const list = useSlice(tasks, (state) => state.list);
  const error = useSlice(tasks, (state) => state.error);
  const stale = useSlice(tasks, (state) => state.stale);
  const refresh = useCallback(() => void tasks.getState().load(), [tasks]);
  useVisibleRefresh(refresh, 3 * 60_000);
  const notices = taskNotices(list);
  const labelled = showsSourceLabels(list);

  return (
    <section className="widget" aria-labelledby="tasks-heading">
      <h2 id="tasks-heading">
        My CRM Tasks
        {list?.status.state === 'ok' ? (
          <span className="hint" data-testid="open-task-count">
            {' '}
            · {list.tasks.length} open
          </span>
        ) : null}
      </h2>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {stale ? (
        <p className="hint stale" role="status">
          {staleNotice(stale, 'tasks')}
        </p>
      ) : null}
      {notices.map((notice, index) => (
        <p key={`${index}:${notice}`} className="hint">
          {notice}
        </p>
      ))}
      {list?.status.state === 'ok' && list.tasks.length === 0 ? (
        <p className="hint">No open tasks. Nice.</p>
      ) : null}
      <ul className="widget-list" aria-label="Tasks">
        {list?.tasks.slice(0, 12).map((task) => (
          <li
            key={task.id}
            className={task.overdue ? 'task overdue' : 'task'}
            aria-label={task.subject}
          >
            <input
              type="checkbox"
              aria-label={`Complete ${task.subject}`}
              onChange={() => void tasks.getState().complete(task.id)}
            />
            <button
              type="button"
              className="link-button"
              onClick={() => void openLink(client, task.url)}
            >
              {task.subject}
            </button>
            <span className="hint">
              {task.overdue ? 'Overdue · ' : ''}
              {due(task.dueAt)}
              {task.regarding ? ` · ${task.regarding.name}` : ''}
            </span>
            {labelled ? <span className="hint task-source">{task.sourceLabel}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
