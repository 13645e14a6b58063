import type { SourceStatus } from '../../../src-shared/domain/search';
import { sourceRowView, type SourceRowAction } from './source-states';

const actionWords: Record<SourceRowAction, string> = {
  retry: 'Retry',
  reconnect: 'Reconnect',
  refresh: 'Refresh',
};

/**
 * Each source's state for the current query, at the top of the list: sources that answered sit
 * side by side as chips (a cached one offers Refresh); one in trouble, or one that searched a
 * trimmed query, gets a row of its own with why and Retry or Reconnect.
 */
export function SourceRows({
  sources,
  now,
  onRetry,
  onReconnect,
}: {
  readonly sources: readonly SourceStatus[];
  readonly now: number;
  /** Asks this one source again, past the 5-minute cache. */
  readonly onRetry: (source: string) => void;
  readonly onReconnect: () => void;
}) {
  if (sources.length === 0) return null;
  return (
    <ul className="source-rows" aria-label="Sources">
      {sources.map((source) => {
        const view = sourceRowView(source, now);
        return (
          <li
            key={source.source}
            className={`source-row source-${source.state}${view.whole ? ' trouble' : ''}`}
            title={view.whole ? undefined : (view.reason ?? source.message ?? source.label)}
          >
            <span className="source-label">{source.label}</span>
            {view.label ? <span className="source-state"> · {view.label}</span> : null}
            {view.whole && view.reason ? (
              <span className="source-reason">{view.reason}</span>
            ) : null}
            {!view.whole && view.label && view.reason ? (
              <span className="source-state">, {view.reason}</span>
            ) : null}
            {view.action ? (
              <button
                type="button"
                className="row-action"
                // Named for its source: several rows may each have one.
                aria-label={`${actionWords[view.action]} ${source.label}`}
                onClick={() =>
                  view.action === 'reconnect' ? onReconnect() : onRetry(source.source)
                }
              >
                {actionWords[view.action]}
              </button>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
