import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { PaletteAction, PaletteItem } from './palette-item';
import { ariaShortcut, matchesShortcut, shortcutLabel } from './shortcuts';

/** The id of the action menu, for the Actions button's aria-controls. */
export const ACTION_MENU_ID = 'palette-actions';

/**
 * The selected row's actions, each with its shortcut (Ctrl/Cmd+K opens it): a WAI-ARIA menu
 * (https://www.w3.org/WAI/ARIA/apg/patterns/menu-button/) whose items take focus in turn. Arrow
 * keys move, Enter runs, Escape closes and hands focus back to the search box; an action's own
 * shortcut works here too.
 */
export function ActionMenu({
  item,
  onRun,
  onClose,
  onDismiss,
}: {
  readonly item: PaletteItem;
  readonly onRun: (action: PaletteAction) => void;
  readonly onClose: () => void;
  /** Focus went elsewhere (a click outside): close without taking focus back. */
  readonly onDismiss: () => void;
}) {
  const [active, setActive] = useState(0);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  useEffect(() => refs.current[active]?.focus(), [active]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const count = item.actions.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((active + (event.key === 'ArrowDown' ? 1 : -1) + count) % count);
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      setActive(event.key === 'Home' ? 0 : count - 1);
    } else if (event.key === 'Escape' || (event.key === 'Tab' && !event.shiftKey)) {
      event.preventDefault();
      onClose();
    } else if (matchesShortcut(event, { key: 'k', mod: true })) {
      event.preventDefault();
      onClose();
    } else {
      // Enter and Space reach the focused button's click; other shortcuts run their action.
      const action = item.actions.find(
        (candidate) =>
          candidate.shortcut &&
          !(candidate.shortcut.key === 'Enter' && !candidate.shortcut.mod) &&
          matchesShortcut(event, candidate.shortcut),
      );
      if (action) {
        event.preventDefault();
        onRun(action);
      }
    }
  };

  return (
    <div
      className="action-panel"
      onKeyDown={onKeyDown}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) onDismiss();
      }}
    >
      <div
        id={ACTION_MENU_ID}
        role="menu"
        aria-label={`Actions for ${item.title}`}
        className="action-menu"
      >
        {item.actions.map((action, index) => (
          <button
            key={action.id}
            ref={(element) => {
              refs.current[index] = element;
            }}
            type="button"
            role="menuitem"
            tabIndex={index === active ? 0 : -1}
            className="action-item"
            aria-keyshortcuts={action.shortcut ? ariaShortcut(action.shortcut) : undefined}
            onClick={() => onRun(action)}
            onMouseMove={() => index !== active && setActive(index)}
          >
            <span className="action-label">{action.label}</span>
            {action.shortcut ? (
              <kbd className="keycap" aria-hidden="true">
                {shortcutLabel(action.shortcut)}
              </kbd>
            ) : null}
          </button>
        ))}
      </div>
    </div>
  );
}
