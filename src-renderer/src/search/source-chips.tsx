import { useSlice, useStores } from '../app/stores-context';

/** One chip per source that answered the current query, with its state. */
export function SourceChips() {
  const { search } = useStores();
  const sources = useSlice(search, (state) => state.sources);
  const list = Object.values(sources);
  if (list.length === 0) return null;
  return (
    <ul className="source-chips" aria-label="Sources">
      {list.map((source) => (
        <li key={source.source} className={`chip chip-${source.state}`} title={source.message ?? source.label}>
          {source.label}
          {source.state === 'ok' ? '' : ` · ${source.message ?? source.state}`}
        </li>
      ))}
    </ul>
  );
}
