import { KeychainBanner } from '../app/keychain-banner';
import { useSlice, useStores } from '../app/stores-context';
import { ResultList } from './result-list';
import { SearchBox } from './search-box';
import { SourceChips } from './source-chips';
import { SourceRows } from './source-rows';
import { outcomeMessage } from './search-store';
import { MeetingsWidget } from '../widgets/meetings-widget';
import { TasksWidget } from '../widgets/tasks-widget';

/** The launcher: one search box, the results as they stream in, and a way to Settings. */
export function LauncherView({ onOpenSettings }: { readonly onOpenSettings: () => void }) {
  const { search } = useStores();
  const text = useSlice(search, (state) => state.text);
  const results = useSlice(search, (state) => state.results);
  const error = useSlice(search, (state) => state.error);
  // Recomputed whenever the store changes; a string, so an equal answer re-renders nothing.
  const empty = useSlice(search, outcomeMessage);

  return (
    <main className="launcher">
      <KeychainBanner />
      <header className="launcher-header">
        <SearchBox />
        <button
          type="button"
          className="icon-button"
          onClick={onOpenSettings}
          aria-label="Settings"
          title="Settings"
        >
          ⚙
        </button>
      </header>
      <SourceChips onReconnect={onOpenSettings} />
      {text.trim() === '' ? null : <SourceRows onReconnect={onOpenSettings} />}
      {error && results.length > 0 ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {text.trim() === '' ? (
        <>
          <section className="empty-state" aria-label="Start">
            <h2>Search your CRM</h2>
            <p>
              Type a name, company or email to search leads, contacts, accounts and opportunities.
            </p>
          </section>
          <div className="widgets">
            <TasksWidget />
            <MeetingsWidget />
          </div>
        </>
      ) : results.length === 0 ? (
        <p className="empty-state" role="status">
          {empty}
        </p>
      ) : (
        <ResultList />
      )}
    </main>
  );
}
