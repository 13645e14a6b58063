import { useSlice, useStores } from '../app/stores-context';

/** The merged results of every source, best first; the selected row follows the arrow keys. */
export function ResultList() {
  const { search } = useStores();
  const results = useSlice(search, (state) => state.results);
  const selectedIndex = useSlice(search, (state) => state.selectedIndex);

  return (
    <ul id="search-results" className="results" role="listbox" aria-label="Results">
      {results.map((result, index) => (
        <li
          key={result.id}
          role="option"
          aria-selected={index === selectedIndex}
          className={index === selectedIndex ? 'result selected' : 'result'}
          data-entity-type={result.entityType}
        >
          <span className="result-title">{result.title}</span>
          <span className="result-subtitle">{result.subtitle}</span>
        </li>
      ))}
    </ul>
  );
}
