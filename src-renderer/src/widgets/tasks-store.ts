import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TaskList, WidgetSource } from '../../../src-shared/domain/tasks';
import { assertNever, isWorkstationError } from '../../../src-shared/errors';
import type { WorkstationClient } from '../bridge/workstation-client';
import { integrationsSignature, keepOnFailure, keepTasks, type Stale } from './last-known';

/** My CRM Tasks view state. */
export interface TasksState {
  readonly list: TaskList | undefined;
  readonly error: string | undefined;
  /** Some tasks shown are the last known ones (their source cannot be reached), and how old. */
  readonly stale: Stale | undefined;
}

export interface TasksActions {
  load(): Promise<void>;
  /** Optimistic: the task leaves the list at once and comes back if its CRM refuses. */
  complete(id: string): Promise<void>;
}

export type TasksStore = StoreApi<TasksState & TasksActions>;

export function createTasksStore(client: WorkstationClient): TasksStore {
  const store = createStore<TasksState & TasksActions>()((set, get) => ({
    list: undefined,
    error: undefined,
    stale: undefined,
    async load() {
      try {
        const next = await client.call('tasks:list', {});
        set({ ...keepTasks(get().list, next, get().stale), error: undefined });
      } catch (error) {
        const message = isWorkstationError(error) ? error.message : 'Tasks could not be loaded.';
        const { list, stale } = get();
        const kept =
          stale ??
          keepOnFailure(
            list?.status.fetchedAt,
            (list?.tasks.length ?? 0) > 0,
            'Workstation cannot reach your CRM right now.',
          );
        // What was shown stays, with its age; with nothing to show, the error says why.
        set(kept ? { stale: kept, error: undefined } : { error: message });
      }
    },
    async complete(id) {
      const before = get().list;
      if (!before) return;
      set({
        list: { ...before, tasks: before.tasks.filter((task) => task.id !== id) },
        error: undefined,
      });
      try {
        await client.call('tasks:complete', { id });
      } catch (error) {
        set({
          list: before,
          error: isWorkstationError(error) ? error.message : 'The task could not be completed.',
        });
        if (isWorkstationError(error) && error.code === 'conflict') await get().load();
      }
    },
  }));
  // A connection turned off, signed out or connected changes what the widget can show: load again.
  let seen: string | undefined;
  client.on('integrations:didChange', (list) => {
    const signature = integrationsSignature(list);
    if (signature !== seen && store.getState().list) void store.getState().load();
    seen = signature;
  });
  return store;
}

const problemWords = (state: Exclude<WidgetSource['state'], 'ok'>): string => {
  switch (state) {
    case 'needs_reconnect':
      return 'needs reconnect';
    case 'not_connected':
      return 'not connected';
    case 'failed':
      return 'failed';
    case 'not_enabled':
      return 'turned off by your organisation';
    default:
      return assertNever(state, 'widget state');
  }
};

/**
 * The lines the widget shows above the tasks: one per source in trouble ("Salesforce · sandbox:
 * needs reconnect - ..."), so one failing CRM never hides the others' tasks; the overall message
 * when no CRM is connected, or when main sent no per-source detail.
 */
export function taskNotices(list: TaskList | undefined): string[] {
  if (!list) return [];
  const overall = list.status.state !== 'ok' && list.status.message ? [list.status.message] : [];
  if (list.status.state === 'not_connected') return overall;
  const perSource = (list.sources ?? []).flatMap((source) => {
    if (source.state === 'ok') return [];
    // A source's own message says what is wrong; a state word beside it ("failed") could only
    // contradict it (a busy source reports as failed here). The label is added unless it leads.
    const named = (text: string) =>
      source.label && !text.startsWith(source.label) ? `${source.label}: ${text}` : text;
    return [named(source.message ?? problemWords(source.state))];
  });
  return perSource.length > 0 ? perSource : overall;
}

/** Whether rows name their source: only when the tasks come from more than one connection. */
export function showsSourceLabels(list: TaskList | undefined): boolean {
  return new Set(list?.tasks.map((task) => task.source)).size > 1;
}
