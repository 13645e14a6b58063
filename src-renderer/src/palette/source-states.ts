import type { SourceState, SourceStatus } from '../../../src-shared/domain/search';

/** What a source's row offers: try again now, or go to Settings to sign in again. */
export type SourceRowAction = 'retry' | 'reconnect';

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
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

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
    reason: (status, now) =>
      status.retryAt !== undefined && status.retryAt > now
        ? `Try again in ${seconds(status.retryAt - now)} s.`
        : status.message,
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
} as const satisfies Record<SourceState, SourceStateView>;

/** The view of a state, falling back to "failed" for one a newer main sends that this renderer does not know. */
export function sourceStateView(state: string): SourceStateView {
  return Object.hasOwn(sourceStateViews, state)
    ? sourceStateViews[state as SourceState]
    : sourceStateViews.failed;
}

/** "Salesforce · sandbox needs reconnect": a source's state in words, for the live region. */
export function sourceStateWords(status: SourceStatus): string {
  const view = sourceStateView(status.state);
  return view.label ? `${status.label} ${view.label}` : status.label;
}
