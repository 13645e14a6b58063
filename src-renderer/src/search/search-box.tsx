import type { KeyboardEvent, Ref } from 'react';
import { useSlice, useStores } from '../app/stores-context';

/**
 * The launcher's one input, the combobox half of the WAI-ARIA 1.2 combobox pattern
 * (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/): focus stays here while the arrow keys
 * move through the list it controls, named by `aria-activedescendant`. Its accessible name is
 * "Search". `onKeyDown` runs first; what it leaves (Escape) is handled here.
 */
export function SearchBox({
  inputRef,
  listId,
  expanded,
  activeId,
  onKeyDown,
}: {
  readonly inputRef: Ref<HTMLInputElement>;
  readonly listId: string;
  readonly expanded: boolean;
  readonly activeId: string | undefined;
  readonly onKeyDown: (event: KeyboardEvent<HTMLInputElement>) => void;
}) {
  const { search, client } = useStores();
  const text = useSlice(search, (state) => state.text);

  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    onKeyDown(event);
    if (event.defaultPrevented) return;
    if (event.key === 'Escape') {
      // First Esc clears the box; Esc on an empty box hides the launcher.
      event.preventDefault();
      if (text !== '') search.getState().reset();
      else void client.call('app:hide', {}).catch(() => undefined);
    }
  };

  return (
    <input
      ref={inputRef}
      className="search-box"
      type="text"
      role="combobox"
      aria-label="Search"
      aria-autocomplete="list"
      aria-expanded={expanded}
      // Only while the list is on the page: an id that names nothing is invalid ARIA.
      aria-controls={expanded ? listId : undefined}
      aria-activedescendant={expanded ? activeId : undefined}
      placeholder="Search leads, contacts, accounts, opportunities…"
      autoFocus
      spellCheck={false}
      autoComplete="off"
      value={text}
      onChange={(event) => search.getState().setText(event.target.value)}
      onKeyDown={onKey}
    />
  );
}
