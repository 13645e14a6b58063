import type { SourceState, SourceStatus } from '../../../src-shared/domain/search';

/** What a source's row offers: ask again, go to Settings to sign in again, or ask past the cache. */
export type SourceRowAction = 'retry' | 'reconnect' | 'refresh';

/** How one source state reads in the list: a word after the source's name, why, and what helps. */
export interface SourceStateView {
  /** After the label ("busy"); none for a source that simply answered. */
  readonly label?: string;
  readonly reason: (status: SourceStatus, now: number) => string | undefined;
  readonly action?: SourceRowAction;
  /** A trouble state gets a whole row; the others sit side by side as chips. */
  readonly trouble: boolean;
}

const minutes = (ms: number) => Math.max(1, Math.round(ms / 60_000));
const clockTime = (at: number) =>
  new Date(at).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

/**
 * One entry per state the contract carries: a new state is one more entry here (the `satisfies`
 * makes a missing one a compile error).
 */
export const sourceStateViews = {
  ok: {
    reason: (status) => (status.fallback ? 'Answered with a simpler search.' : undefined),
    trouble: false,
  },
  cached: {
    label: 'from cache',
    reason: (status) =>
      status.ageMs !== undefined ? `${minutes(status.ageMs)} min old` : undefined,
    trouble: false,
  },
  throttled: {
    label: 'busy',
    // The search store asks a busy source again by itself at its Retry-After (search-store.ts).
    reason: (status, now) =>
      status.retryAt !== undefined && status.retryAt > now
        ? `Busy right now; Workstation asks again by itself at ${clockTime(status.retryAt)}.`
        : (status.message ?? 'Busy right now; Workstation asks again by itself shortly.'),
    action: 'retry',
    trouble: true,
  },
  needs_reconnect: {
    label: 'needs reconnect',
    reason: (status) => status.message,
    action: 'reconnect',
    trouble: true,
  },
  failed: {
    label: 'failed',
    reason: (status) => status.message,
    action: 'retry',
    trouble: true,
  },
  timed_out: {
    label: 'timed out',
    reason: (status) => status.message ?? `${status.label} did not answer in time.`,
    action: 'retry',
    trouble: true,
  },
  not_enabled: {
    label: 'turned off',
    reason: (status) => status.message,
    trouble: true,
  },
} as const satisfies Record<SourceState, SourceStateView>;

/** The view of a state, falling back to "failed" for one a newer main sends that this renderer does not know. */
export function sourceStateView(state: string): SourceStateView {
  return Object.hasOwn(sourceStateViews, state)
    ? sourceStateViews[state as SourceState]
    : sourceStateViews.failed;
}

/**
 * A source's row: whether it gets a whole row (trouble, or a query it searched trimmed), why, and
 * the action main offered for it (else the state's own).
 */
export function sourceRowView(status: SourceStatus, now: number) {
  const view = sourceStateView(status.state);
  const trimmed = status.trimmedTo !== undefined;
  return {
    label: view.label,
    // A trimmed query's row says so whatever else it says (the engine puts it in `message`).
    reason: trimmed
      ? [...new Set([view.reason(status, now), status.message])]
          .filter((part) => part !== undefined && part !== '')
          .join('. ')
      : view.reason(status, now),
    action: status.action ?? view.action,
    whole: view.trouble || trimmed,
  };
}

/** "Salesforce · sandbox needs reconnect": a source's state in words, for the live region. */
export function sourceStateWords(status: SourceStatus): string {
  const view = sourceStateView(status.state);
  return view.label ? `${status.label} ${view.label}` : status.label;
}
