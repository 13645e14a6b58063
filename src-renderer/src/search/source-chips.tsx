import { useSlice, useStores } from '../app/stores-context';

const minutes = (ms: number) => Math.max(1, Math.round(ms / 60_000));

/** One chip per source that answered the current query: its state, and Reconnect or Retry when it helps. */
export function SourceChips({ onReconnect }: { readonly onReconnect: () => void }) {
  const { search } = useStores();
  const sources = useSlice(search, (state) => state.sources);
  const list = Object.values(sources);
  if (list.length === 0) return null;
  return (
    <ul className="source-chips" aria-label="Sources">
      {list.map((source) => (
        <li
          key={source.source}
          className={`chip chip-${source.state}`}
          title={source.message ?? source.label}
        >
          {source.label}
          {source.state === 'cached' && source.ageMs !== undefined
            ? ` · from cache, ${minutes(source.ageMs)} min old`
            : ''}
          {source.state === 'throttled' ? ' · busy' : ''}
          {source.state === 'failed' ? ' · failed' : ''}
          {source.state === 'needs_reconnect' ? (
            <button type="button" className="chip-action" onClick={onReconnect}>
              Reconnect
            </button>
          ) : null}
          {source.state === 'failed' || source.state === 'throttled' ? (
            <button type="button" className="chip-action" onClick={() => search.getState().retry()}>
              Retry
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
