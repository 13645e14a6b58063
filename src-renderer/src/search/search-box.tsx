import type { KeyboardEvent } from 'react';
import { useSlice, useStores } from '../app/stores-context';

/** The launcher's one input; its accessible name is "Search". */
export function SearchBox() {
  const { search, client } = useStores();
  const text = useSlice(search, (state) => state.text);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const actions = search.getState();
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      actions.moveSelection(1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      actions.moveSelection(-1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      void actions.openSelected();
    } else if (
      (event.ctrlKey || event.metaKey) &&
      event.key.toLowerCase() === 'c' &&
      event.currentTarget.selectionStart === event.currentTarget.selectionEnd
    ) {
      // With no text selected in the box, Ctrl/Cmd+C copies the selected result's link.
      const url = actions.selectedUrl();
      if (url) {
        event.preventDefault();
        void navigator.clipboard?.writeText(url);
      }
    } else if (event.key === 'Escape') {
      // First Esc clears the box; Esc on an empty box hides the launcher.
      event.preventDefault();
      if (text !== '') actions.reset();
      else void client.call('app:hide', {}).catch(() => undefined);
    }
  };

  return (
    <input
      className="search-box"
      type="search"
      aria-label="Search"
      placeholder="Search leads, contacts, accounts, opportunities…"
      autoFocus
      spellCheck={false}
      autoComplete="off"
      value={text}
      onChange={(event) => search.getState().setText(event.target.value)}
      onKeyDown={onKeyDown}
      aria-controls="search-results"
    />
  );
}
