import { useMemo } from 'react';
import { useSlice, useStores } from '../app/stores-context';
import { sourceRows } from './search-store';

const actionLabel = { retry: 'Retry', reconnect: 'Reconnect', refresh: 'Refresh' } as const;

/** One row per source the user must hear about (failed, busy, reconnect, turned off, trimmed), with its action. */
export function SourceRows({ onReconnect }: { readonly onReconnect: () => void }) {
  const { search } = useStores();
  const sources = useSlice(search, (state) => state.sources);
  const retryAt = useSlice(search, (state) => state.retryAt);
  const rows = useMemo(() => sourceRows({ sources, retryAt }), [sources, retryAt]);
  if (rows.length === 0) return null;
  return (
    <ul className="source-rows" aria-label="Source status">
      {rows.map((row) => (
        <li key={row.source} className={`source-row source-row-${row.state}`}>
          <span className="source-row-text">
            <strong>{row.label}</strong> {row.reason}
          </span>
          {row.action ? (
            <button
              type="button"
              className="chip-action"
              onClick={() =>
                row.action === 'reconnect'
                  ? onReconnect()
                  : row.action === 'refresh'
                    ? search.getState().refresh(row.source)
                    : search.getState().retry()
              }
            >
              {actionLabel[row.action]}
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
