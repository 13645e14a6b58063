import { ACTION_MENU_ID } from './action-menu';
import type { PaletteAction } from './palette-item';
import { ariaShortcut, shortcutLabel } from './shortcuts';

const ACTIONS_SHORTCUT = { key: 'k', mod: true } as const;

/** The bottom bar: a count, the selected row's primary action (Enter) and Actions (Ctrl/Cmd+K). */
export function PaletteFooter({
  summary,
  primary,
  hasActions,
  menuOpen,
  onRunPrimary,
  onToggleMenu,
}: {
  readonly summary: string;
  readonly primary: PaletteAction | undefined;
  readonly hasActions: boolean;
  readonly menuOpen: boolean;
  readonly onRunPrimary: () => void;
  readonly onToggleMenu: () => void;
}) {
  return (
    <footer className="palette-footer">
      <span className="footer-summary" data-testid="open-task-count">
        {summary}
      </span>
      {primary ? (
        <button
          type="button"
          className="footer-button primary"
          aria-keyshortcuts="Enter"
          onClick={onRunPrimary}
        >
          {primary.label}
          <kbd className="keycap" aria-hidden="true">
            {shortcutLabel({ key: 'Enter' })}
          </kbd>
        </button>
      ) : null}
      {hasActions ? (
        <button
          type="button"
          className="footer-button"
          aria-haspopup="menu"
          aria-expanded={menuOpen}
          aria-controls={menuOpen ? ACTION_MENU_ID : undefined}
          aria-keyshortcuts={ariaShortcut(ACTIONS_SHORTCUT)}
          // Keeps focus in the open menu, so the click closes it rather than the blur closing and the click reopening it.
          onMouseDown={(event) => event.preventDefault()}
          onClick={onToggleMenu}
        >
          Actions
          <kbd className="keycap" aria-hidden="true">
            {shortcutLabel(ACTIONS_SHORTCUT)}
          </kbd>
        </button>
      ) : null}
    </footer>
  );
}
