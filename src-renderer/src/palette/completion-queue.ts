import { createStore, type StoreApi } from 'zustand/vanilla';

/** How long "Completed - Undo" stays before the task is written back (5 s). */
export const UNDO_MS = 5000;

/** Tasks completed in the view but not yet in the CRM: Undo brings them back untouched. */
export interface CompletionQueueState {
  /** Task id to subject, in the order they were completed. */
  readonly pending: Readonly<Record<string, string>>;
}

export interface CompletionQueueActions {
  /** Hides the task now and writes it back after the Undo window. */
  complete(taskId: string, subject: string): void;
  /** Takes a pending completion back; answers whether there was one. */
  undo(taskId: string): boolean;
  /** Writes every pending completion now (the window is going away). */
  flush(): void;
}

export type CompletionQueue = StoreApi<CompletionQueueState & CompletionQueueActions>;

/** What the queue needs: the write, and a clock tests can turn. */
export interface CompletionQueueOptions {
  readonly write: (taskId: string) => Promise<void>;
  readonly delayMs?: number;
  readonly setTimer?: (run: () => void, ms: number) => unknown;
  readonly clearTimer?: (timer: unknown) => void;
}

/**
 * Delays each completion by the Undo window rather than writing and reopening: a CRM's "reopen"
 * is a second write that can fail or notify people, and an undone completion should leave no trace.
 */
export function createCompletionQueue(options: CompletionQueueOptions): CompletionQueue {
  const delayMs = options.delayMs ?? UNDO_MS;
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer =
    options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  const timers = new Map<string, unknown>();

  return createStore<CompletionQueueState & CompletionQueueActions>()((set, get) => {
    const drop = (taskId: string) => {
      const { [taskId]: _dropped, ...rest } = get().pending;
      set({ pending: rest });
      const timer = timers.get(taskId);
      timers.delete(taskId);
      return timer;
    };
    // The write starts before the task leaves `pending`, so the view never shows it again between.
    const write = (taskId: string) => {
      const written = options.write(taskId);
      drop(taskId);
      void written.catch(() => undefined);
    };
    return {
      pending: {},
      complete(taskId, subject) {
        if (timers.has(taskId)) return;
        set({ pending: { ...get().pending, [taskId]: subject } });
        timers.set(
          taskId,
          setTimer(() => write(taskId), delayMs),
        );
      },
      undo(taskId) {
        if (!timers.has(taskId)) return false;
        clearTimer(drop(taskId));
        return true;
      },
      flush() {
        for (const [taskId, timer] of [...timers]) {
          clearTimer(timer);
          write(taskId);
        }
      },
    };
  });
}
