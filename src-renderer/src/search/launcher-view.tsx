import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { assertNever, isWorkstationError } from '../../../src-shared/errors';
import { KeychainBanner } from '../app/keychain-banner';
import { useSlice, useStores } from '../app/stores-context';
import { ActionMenu } from '../palette/action-menu';
import { createCompletionQueue, UNDO_MS } from '../palette/completion-queue';
import { GearIcon } from '../palette/entity-icon';
import { homeList, TASKS_MORE, TASKS_PAGE } from '../palette/home-items';
import { launcherWords } from '../palette/launcher-words';
import { PaletteFooter } from '../palette/palette-footer';
import { flattenGroups, type PaletteAction } from '../palette/palette-item';
import { paletteCommand } from '../palette/palette-keys';
import { optionId, PaletteList } from '../palette/palette-list';
import { resultGroups } from '../palette/result-items';
import { SourceRows } from '../palette/source-rows';
import { Toast, useToast } from '../palette/toast';
import { useMinuteClock } from '../palette/use-minute-clock';
import { staleNotice } from '../widgets/last-known';
import { openLink } from '../widgets/open-link';
import { useVisibleRefresh } from '../widgets/use-visible-refresh';
import { SearchBox } from './search-box';
import { outcomeMessage, searchOutcome } from './search-store';

const LIST_ID = 'palette-list';

/**
 * The launcher, laid out as the window: the search box on top, one scrolling list (results, or
 * today's meetings and open tasks when the box is empty), and a footer with the selected row's
 * primary action and its other actions (Ctrl/Cmd+K).
 */
export function LauncherView({ onOpenSettings }: { readonly onOpenSettings: () => void }) {
  const { search, tasks, meetings, client } = useStores();
  const text = useSlice(search, (state) => state.text);
  const phase = useSlice(search, (state) => state.phase);
  const results = useSlice(search, (state) => state.results);
  const sources = useSlice(search, (state) => state.sources);
  const searchError = useSlice(search, (state) => state.error);
  // "No results" only once every source answered (search-store.ts); strings, so an equal answer
  // re-renders nothing.
  const outcome = useSlice(search, searchOutcome);
  const emptyMessage = useSlice(search, outcomeMessage);
  const taskList = useSlice(tasks, (state) => state.list);
  const taskError = useSlice(tasks, (state) => state.error);
  const taskStale = useSlice(tasks, (state) => state.stale);
  const meetingList = useSlice(meetings, (state) => state.list);
  const meetingError = useSlice(meetings, (state) => state.error);
  const meetingStale = useSlice(meetings, (state) => state.stale);

  const [queue] = useState(() =>
    createCompletionQueue({ write: (taskId) => tasks.getState().complete(taskId) }),
  );
  const pending = useSlice(queue, (state) => state.pending);
  useEffect(() => {
    // A completion waiting out its Undo is written when the window goes away, never dropped.
    const flush = () => queue.getState().flush();
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [queue]);

  useVisibleRefresh(
    useCallback(() => void tasks.getState().load(), [tasks]),
    3 * 60_000,
  );
  useVisibleRefresh(
    useCallback(() => void meetings.getState().load(), [meetings]),
    60_000,
  );
  const now = useMinuteClock();
  const [shownTasks, setShownTasks] = useState(TASKS_PAGE);
  const home = text.trim() === '';
  const hidden = useMemo(() => new Set(Object.keys(pending)), [pending]);
  const homeView = useMemo(
    () => homeList({ tasks: taskList, meetings: meetingList, now, shown: shownTasks, hidden }),
    [taskList, meetingList, now, shownTasks, hidden],
  );
  const groups = useMemo(
    () => (home ? homeView.groups : resultGroups(results, sources)),
    [home, homeView, results, sources],
  );
  const items = useMemo(() => flattenGroups(groups), [groups]);

  // The selection follows a row by key while results stream in; until the user moves, it is the first row.
  // A selection made for other text (the user typed since) counts as none.
  const [chosen, setSelection] = useState<{ key?: string; index: number; text?: string }>({
    index: 0,
  });
  const selection = chosen.text === text ? chosen : { index: 0 };
  const byKey = selection.key ? items.findIndex((item) => item.key === selection.key) : -1;
  const selectedIndex =
    items.length === 0 ? -1 : byKey >= 0 ? byKey : Math.min(selection.index, items.length - 1);
  const selected = items[selectedIndex];
  const select = (index: number) => setSelection({ key: items[index]?.key, index, text });

  // The menu belongs to the row it was opened on: moving the selection closes it.
  const [menuFor, setMenuFor] = useState<string>();
  const menuOpen = menuFor !== undefined && menuFor === selected?.key;
  const setMenuOpen = (open: boolean) => setMenuFor(open ? selected?.key : undefined);
  const inputRef = useRef<HTMLInputElement>(null);
  const [toast, showToast, hideToast] = useToast();
  const closeMenu = () => {
    setMenuOpen(false);
    inputRef.current?.focus();
  };

  const run = async (action: PaletteAction) => {
    closeMenu();
    const effect = action.effect;
    switch (effect.kind) {
      case 'open':
        try {
          await openLink(client, effect.url);
        } catch (error) {
          showToast(
            {
              text: isWorkstationError(error) ? error.message : 'That link could not be opened.',
              tone: 'error',
            },
            6000,
          );
        }
        return;
      case 'copy':
        try {
          await navigator.clipboard.writeText(effect.text);
          showToast({ text: `Copied ${effect.what.toLowerCase()}` });
        } catch {
          showToast({ text: 'The clipboard could not be written.', tone: 'error' }, 4000);
        }
        return;
      case 'complete':
        // The row below moves up into the selection, so Ctrl+Enter can clear a list in a row.
        setSelection({ index: selectedIndex, text });
        queue.getState().complete(effect.taskId, effect.subject);
        showToast(
          {
            text: `Completed “${effect.subject}”`,
            undo: () => queue.getState().undo(effect.taskId),
          },
          UNDO_MS,
        );
        return;
      case 'show_more':
        setSelection({ index: selectedIndex, text });
        setShownTasks((count) => count + TASKS_MORE);
        return;
      default:
        assertNever(effect, 'palette action');
    }
  };
  const undo = () => {
    toast?.undo?.();
    hideToast();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const box = event.currentTarget;
    const command = paletteCommand(event, selected, {
      textSelected: box.selectionStart !== box.selectionEnd,
      canUndo: toast?.undo !== undefined,
    });
    if (!command) return;
    event.preventDefault();
    switch (command.kind) {
      case 'move': {
        if (items.length === 0) return;
        const step = Math.abs(command.delta) === 1;
        const next = step
          ? (selectedIndex + command.delta + items.length) % items.length
          : Math.max(0, Math.min(items.length - 1, selectedIndex + command.delta));
        select(next);
        return;
      }
      case 'run':
        void run(command.action);
        return;
      case 'toggle_actions':
        if (selected && selected.actions.length > 0) setMenuOpen(!menuOpen);
        return;
      case 'settings':
        onOpenSettings();
        return;
      case 'undo':
        undo();
        return;
      default:
        assertNever(command, 'palette command');
    }
  };

  const sourceList = Object.values(sources);
  // The same words from two places show once (and the words are the rows' React keys).
  const errors = [
    ...new Set(
      [searchError, ...(home ? [taskError, meetingError] : [])].filter((error): error is string =>
        Boolean(error),
      ),
    ),
  ];
  const { summary, announcement, notices } = launcherWords(
    home
      ? { home, list: homeView, tasks: taskList, meetings: meetingList }
      : { home, phase, results: results.length, sources: sourceList },
  );
  // Offline, the last tasks and meetings stay in the list; these lines say how old they are.
  const staleNotices = home
    ? [staleNotice(taskStale, 'tasks'), staleNotice(meetingStale, 'the agenda')].filter(
        (notice): notice is string => notice !== undefined,
      )
    : [];

  return (
    <main className="launcher">
      <h1 className="visually-hidden">Workstation</h1>
      <header className="launcher-header">
        <SearchBox
          inputRef={inputRef}
          listId={LIST_ID}
          expanded={items.length > 0}
          activeId={selectedIndex >= 0 ? optionId(selectedIndex) : undefined}
          onKeyDown={onKeyDown}
        />
        <button
          type="button"
          className="icon-button"
          onClick={onOpenSettings}
          aria-label="Settings"
          aria-keyshortcuts="Control+,"
          title="Settings (Ctrl+,)"
        >
          <GearIcon />
        </button>
      </header>
      <div className="palette-status">
        {home ? <KeychainBanner /> : null}
        {errors.map((error) => (
          <p key={error} role="alert" className="notice error">
            {error}
          </p>
        ))}
        {home ? null : (
          <SourceRows
            sources={sourceList}
            now={now}
            // Asks that one source again past the cache; the others keep what they answered.
            onRetry={(source) => search.getState().refresh(source)}
            onReconnect={onOpenSettings}
          />
        )}
        {staleNotices.map((notice) => (
          <p key={notice} className="notice stale" role="status">
            {notice}
          </p>
        ))}
        {notices.map((notice) => (
          <p key={notice} className="notice">
            {notice}
          </p>
        ))}
        {home && taskList?.sources?.some((source) => source.state === 'needs_reconnect') ? (
          <button type="button" className="row-action notice-action" onClick={onOpenSettings}>
            Reconnect
          </button>
        ) : null}
      </div>
      {items.length > 0 ? (
        <PaletteList
          id={LIST_ID}
          label={home ? 'Meetings and tasks' : 'Results'}
          groups={groups}
          selectedIndex={selectedIndex}
          onSelect={select}
          onRun={(index) => {
            select(index);
            const primary = items[index]?.actions[0];
            if (primary) void run(primary);
          }}
        />
      ) : home ? (
        <section className="empty-state" aria-label="Start">
          <h2>Search your CRM</h2>
          <p>
            Type a name, company or email to search leads, contacts, accounts and opportunities.
          </p>
        </section>
      ) : outcome === 'unreachable' ? null : (
        // Unreachable: the alert above already says why nothing was searched.
        <p className="empty-state">{emptyMessage}</p>
      )}
      {menuOpen && selected ? (
        <ActionMenu
          item={selected}
          onRun={(action) => void run(action)}
          onClose={closeMenu}
          onDismiss={() => setMenuOpen(false)}
        />
      ) : null}
      <Toast toast={toast} onUndo={undo} />
      <PaletteFooter
        summary={summary}
        primary={selected?.actions[0]}
        hasActions={(selected?.actions.length ?? 0) > 0}
        menuOpen={menuOpen}
        onRunPrimary={() => {
          const primary = selected?.actions[0];
          if (primary) void run(primary);
        }}
        onToggleMenu={() => (menuOpen ? closeMenu() : setMenuOpen(true))}
      />
      <p role="status" className="visually-hidden">
        {announcement}
      </p>
    </main>
  );
}
