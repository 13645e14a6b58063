import type { Shortcut } from './shortcuts';

/** The icons the palette draws (entity types of results, tasks, meetings). */
export type EntityIconName =
  'lead' | 'contact' | 'account' | 'opportunity' | 'meeting' | 'task' | 'more' | 'generic';

/** What running an action does; the launcher carries it out (main checks every link). */
export type ActionEffect =
  | { readonly kind: 'open'; readonly url: string }
  | { readonly kind: 'copy'; readonly text: string; readonly what: string }
  | { readonly kind: 'complete'; readonly taskId: string; readonly subject: string }
  | { readonly kind: 'show_more' };

/** One entry of an item's action panel. */
export interface PaletteAction {
  readonly id: string;
  readonly label: string;
  readonly shortcut?: Shortcut;
  readonly effect: ActionEffect;
}

/** One row of the palette's list: a result, a meeting, a task, or "Show more". */
export interface PaletteItem {
  /** Stable across re-renders (the result's, task's or meeting's id). */
  readonly key: string;
  readonly icon: EntityIconName;
  readonly title: string;
  readonly subtitle: string;
  /** A short right-hand note: "Today 11:30", "Overdue". */
  readonly meta?: string;
  readonly tone?: 'danger' | 'accent';
  /** Who it came from, shown when several connections answered ("Salesforce · sandbox"). */
  readonly sourceLabel?: string;
  /** The first is the primary action (Enter). */
  readonly actions: readonly PaletteAction[];
}

/** A titled section of the list. */
export interface PaletteGroup {
  readonly key: string;
  readonly heading: string;
  readonly items: readonly PaletteItem[];
}

/** The groups' items in the order the list shows them: what the arrow keys walk. */
export function flattenGroups(groups: readonly PaletteGroup[]): PaletteItem[] {
  return groups.flatMap((group) => group.items);
}
