import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TaskList } from '../../../src-shared/domain/tasks';
import { isWorkstationError } from '../../../src-shared/errors';
import type { WorkstationClient } from '../bridge/workstation-client';

/** My CRM Tasks view state. */
export interface TasksState {
  readonly list: TaskList | undefined;
  readonly error: string | undefined;
}

export interface TasksActions {
  load(): Promise<void>;
  /** Optimistic: the task leaves the list at once and comes back if Dynamics refuses. */
  complete(id: string): Promise<void>;
}

export type TasksStore = StoreApi<TasksState & TasksActions>;

export function createTasksStore(client: WorkstationClient): TasksStore {
  return createStore<TasksState & TasksActions>()((set, get) => ({
    list: undefined,
    error: undefined,
    async load() {
      try {
        set({ list: await client.call('tasks:list', {}), error: undefined });
      } catch (error) {
        set({ error: isWorkstationError(error) ? error.message : 'Tasks could not be loaded.' });
      }
    },
    async complete(id) {
      const before = get().list;
      if (!before) return;
      set({ list: { ...before, tasks: before.tasks.filter((task) => task.id !== id) }, error: undefined });
      try {
        await client.call('tasks:complete', { id });
      } catch (error) {
        set({ list: before, error: isWorkstationError(error) ? error.message : 'The task could not be completed.' });
        if (isWorkstationError(error) && error.code === 'conflict') await get().load();
      }
    },
  }));
}
