import type { SourceStatus } from '../../../src-shared/domain/search';
import { sourceStateView } from './source-states';

/**
 * Each source's state for the current query, at the top of the list: sources that answered sit
 * side by side as chips; one in trouble gets a row of its own with why and Retry or Reconnect.
 */
export function SourceRows({
  sources,
  now,
  onRetry,
  onReconnect,
}: {
  readonly sources: readonly SourceStatus[];
  readonly now: number;
  /** Asks this source again (today the whole query runs again; a per-source refresh can take the id). */
  readonly onRetry: (source: string) => void;
  readonly onReconnect: () => void;
}) {
  if (sources.length === 0) return null;
  return (
    <ul className="source-rows" aria-label="Sources">
      {sources.map((source) => {
        const view = sourceStateView(source.state);
        const reason = view.reason(source, now);
        return (
          <li
            key={source.source}
            className={`source-row source-${source.state}${view.trouble ? ' trouble' : ''}`}
            title={view.trouble ? undefined : (reason ?? source.message ?? source.label)}
          >
            <span className="source-label">{source.label}</span>
            {view.label ? <span className="source-state"> · {view.label}</span> : null}
            {view.trouble && reason ? <span className="source-reason">{reason}</span> : null}
            {!view.trouble && view.label && reason ? (
              <span className="source-state">, {reason}</span>
            ) : null}
            {view.action === 'retry' ? (
              <button
                type="button"
                className="row-action"
                // Named for its source: several rows may each have a Retry.
                aria-label={`Retry ${source.label}`}
                onClick={() => onRetry(source.source)}
              >
                Retry
              </button>
            ) : view.action === 'reconnect' ? (
              <button
                type="button"
                className="row-action"
                aria-label={`Reconnect ${source.label}`}
                onClick={onReconnect}
              >
                Reconnect
              </button>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
