import { useSlice, useStores } from '../app/stores-context';

const icons: Record<string, string> = {
  contact: '👤',
  account: '🏢',
  lead: '🌱',
  opportunity: '💼',
  task: '✅',
  meeting: '📅',
  placeholder: '◻',
};
const headings: Record<string, string> = {
  contact: 'Contacts',
  account: 'Accounts',
  lead: 'Leads',
  opportunity: 'Opportunities',
  placeholder: 'Placeholder results',
};

/**
 * The merged results, grouped by type (best group first); the selected row follows the arrow keys.
 * When several connections answered, each row names its own ("Salesforce · sandbox").
 */
export function ResultList() {
  const { search } = useStores();
  const results = useSlice(search, (state) => state.results);
  const selectedIndex = useSlice(search, (state) => state.selectedIndex);
  const sources = useSlice(search, (state) => state.sources);
  const labelled = Object.keys(sources).length > 1;

  return (
    <ul id="search-results" className="results" role="listbox" aria-label="Results">
      {results.map((result, index) => (
        <li key={result.id} role="presentation">
          {index === 0 || results[index - 1]?.entityType !== result.entityType ? (
            <div className="result-group" aria-hidden="true">
              {headings[result.entityType] ?? result.entityType}
            </div>
          ) : null}
          <div
            role="option"
            aria-selected={index === selectedIndex}
            className={index === selectedIndex ? 'result selected' : 'result'}
            data-entity-type={result.entityType}
            onMouseMove={() => index !== selectedIndex && search.setState({ selectedIndex: index })}
            onClick={() => {
              search.setState({ selectedIndex: index });
              void search.getState().openSelected();
            }}
          >
            <span className="result-icon" aria-hidden="true">
              {icons[result.entityType] ?? '•'}
            </span>
            <span className="result-text">
              <span className="result-title">{result.title}</span>
              <span className="result-subtitle">
                {result.subtitle}
                {labelled && sources[result.source] ? (
                  <span className="result-source"> · {sources[result.source]?.label}</span>
                ) : null}
              </span>
            </span>
          </div>
        </li>
      ))}
    </ul>
  );
}
