import type { SearchResult, SourceStatus } from '../../../src-shared/domain/search';
import { entityHeading } from './entity-headings';
import type { EntityIconName, PaletteAction, PaletteGroup, PaletteItem } from './palette-item';

const icons = new Set<string>(['lead', 'contact', 'account', 'opportunity', 'meeting', 'task']);

/** The icon for an entity type; one this renderer does not draw gets the generic one. */
export function entityIcon(entityType: string): EntityIconName {
  return icons.has(entityType) ? (entityType as EntityIconName) : 'generic';
}

/** "Dynamics 365" from the source's label "Dynamics 365 · contoso": whom Open sends the user to. */
export function serviceName(status: SourceStatus | undefined): string | undefined {
  return status?.label.split(' · ')[0]?.trim() || undefined;
}

/** Only the digits and a leading +: what a `tel:` link carries (https://www.rfc-editor.org/rfc/rfc3966). */
export function telUrl(phone: string): string | undefined {
  const digits = phone.trim().replace(/(?!^\+)[^0-9]/g, '');
  return /^\+?[0-9]{3,}$/.test(digits) ? `tel:${digits}` : undefined;
}

/**
 * A result's actions, primary first: Open in its CRM, Copy link, and, where the record has them,
 * Copy email, Email, Copy phone, Call. Each action's shortcut is the same on every result, so
 * hands learn them.
 */
export function resultActions(result: SearchResult, service: string | undefined): PaletteAction[] {
  const actions: PaletteAction[] = [];
  if (result.url) {
    actions.push({
      id: 'open',
      label: service ? `Open in ${service}` : 'Open',
      shortcut: { key: 'Enter' },
      effect: { kind: 'open', url: result.url },
    });
    actions.push({
      id: 'copy-link',
      label: 'Copy link',
      shortcut: { key: 'c', mod: true },
      effect: { kind: 'copy', text: result.url, what: 'Link' },
    });
  }
  if (result.email) {
    actions.push({
      id: 'email',
      label: 'Email',
      shortcut: { key: 'e', mod: true },
      effect: { kind: 'open', url: `mailto:${result.email}` },
    });
    actions.push({
      id: 'copy-email',
      label: 'Copy email',
      shortcut: { key: 'c', mod: true, shift: true },
      effect: { kind: 'copy', text: result.email, what: 'Email' },
    });
  }
  const tel = result.phone ? telUrl(result.phone) : undefined;
  if (result.phone && tel) {
    actions.push({
      id: 'call',
      label: 'Call',
      shortcut: { key: 'd', mod: true },
      effect: { kind: 'open', url: tel },
    });
    actions.push({
      id: 'copy-phone',
      label: 'Copy phone',
      shortcut: { key: 'p', mod: true, shift: true },
      effect: { kind: 'copy', text: result.phone, what: 'Phone number' },
    });
  }
  return actions;
}

/**
 * The search results as the list shows them: one group per entity type in the order the store
 * ranked them, each row naming its connection when several answered.
 */
export function resultGroups(
  results: readonly SearchResult[],
  sources: Readonly<Record<string, SourceStatus>>,
): PaletteGroup[] {
  const labelled = Object.keys(sources).length > 1;
  const groups: { key: string; heading: string; items: PaletteItem[] }[] = [];
  results.forEach((result, index) => {
    let group = groups.at(-1);
    if (!group || results[index - 1]?.entityType !== result.entityType) {
      group = {
        key: `${result.entityType}:${groups.length}`,
        heading: entityHeading(result.entityType),
        items: [],
      };
      groups.push(group);
    }
    const status = sources[result.source];
    group.items.push({
      key: result.id,
      icon: entityIcon(result.entityType),
      title: result.title,
      subtitle: result.subtitle,
      ...(labelled && status ? { sourceLabel: status.label } : {}),
      actions: resultActions(result, serviceName(status)),
    });
  });
  return groups;
}
