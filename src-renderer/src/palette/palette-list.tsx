import { useLayoutEffect } from 'react';
import { EntityIcon } from './entity-icon';
import type { PaletteGroup, PaletteItem } from './palette-item';

/** The id of the option element at `index`: what the search box's aria-activedescendant names. */
export const optionId = (index: number) => `palette-option-${index}`;

/**
 * The list half of the WAI-ARIA combobox (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/):
 * a listbox of titled groups of options. Focus stays in the search box; the selected option is
 * `aria-selected` and kept scrolled into view.
 */
export function PaletteList({
  id,
  label,
  groups,
  selectedIndex,
  onSelect,
  onRun,
}: {
  readonly id: string;
  readonly label: string;
  readonly groups: readonly PaletteGroup[];
  readonly selectedIndex: number;
  readonly onSelect: (index: number) => void;
  readonly onRun: (index: number) => void;
}) {
  useLayoutEffect(() => {
    const option = document.getElementById(optionId(selectedIndex));
    // The first row brings its group's heading along.
    if (selectedIndex === 0)
      option?.closest('[role="group"]')?.scrollIntoView({ block: 'nearest' });
    option?.scrollIntoView({ block: 'nearest' });
  }, [selectedIndex, groups]);

  // Where each group's rows start in the flat order the arrow keys walk.
  const starts = groups.map((_, groupIndex) =>
    groups.slice(0, groupIndex).reduce((count, group) => count + group.items.length, 0),
  );
  return (
    // tabIndex -1: Chromium makes a scrolling box a Tab stop of its own, but the combobox's list is
    // driven from the search box (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/#keyboardinteraction).
    <div id={id} role="listbox" aria-label={label} className="palette-list" tabIndex={-1}>
      {groups.map((group, groupIndex) => (
        <div
          key={group.key}
          role="group"
          aria-labelledby={`${id}-group-${groupIndex}`}
          className="palette-group"
        >
          <div id={`${id}-group-${groupIndex}`} role="presentation" className="group-heading">
            {group.heading}
          </div>
          {group.items.map((item, itemIndex) => {
            const at = (starts[groupIndex] ?? 0) + itemIndex;
            return (
              <Option
                key={item.key}
                item={item}
                index={at}
                selected={at === selectedIndex}
                onSelect={onSelect}
                onRun={onRun}
              />
            );
          })}
        </div>
      ))}
    </div>
  );
}

function Option({
  item,
  index,
  selected,
  onSelect,
  onRun,
}: {
  readonly item: PaletteItem;
  readonly index: number;
  readonly selected: boolean;
  readonly onSelect: (index: number) => void;
  readonly onRun: (index: number) => void;
}) {
  return (
    <div
      id={optionId(index)}
      role="option"
      aria-selected={selected}
      className={`palette-option${selected ? ' selected' : ''}${item.tone ? ` tone-${item.tone}` : ''}`}
      data-entity-type={item.icon}
      // Moving, not entering: rows sliding under a still pointer while the list scrolls must not steal the selection.
      onMouseMove={() => !selected && onSelect(index)}
      onClick={() => onRun(index)}
    >
      <EntityIcon name={item.icon} />
      <span className="option-text">
        <span className="option-title">{item.title}</span>
        {item.subtitle || item.sourceLabel ? (
          <span className="option-subtitle">
            {item.subtitle}
            {item.subtitle && item.sourceLabel ? ' · ' : null}
            {item.sourceLabel ? (
              <span className="option-source task-source">{item.sourceLabel}</span>
            ) : null}
          </span>
        ) : null}
      </span>
      {item.meta ? <span className="option-meta">{item.meta}</span> : null}
    </div>
  );
}
