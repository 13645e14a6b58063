import { describe, expect, it } from 'vitest';
import type { SearchResult, SourceStatus } from '../../../src-shared/domain/search';
import { resultActions, resultGroups, telUrl } from './result-items';

const result = (over: Partial<SearchResult>): SearchResult => ({
  id: 'r1',
  source: 'dynamics:contoso',
  entityType: 'contact',
  title: "Seán O'Brien",
  subtitle: 'Contact · Contoso',
  url: 'https://contoso.crm4.dynamics.com/main.aspx?etn=contact&id=1&pagetype=entityrecord',
  score: 1,
  fetchedAt: 0,
  ...over,
});
const status = (source: string, label: string): SourceStatus => ({ source, label, state: 'ok' });

describe('result rows', () => {
  it('group by entity type under plural headings, with entity icons', () => {
    const groups = resultGroups(
      [
        result({ id: 'a', entityType: 'contact' }),
        result({ id: 'b', entityType: 'contact' }),
        result({ id: 'c', entityType: 'opportunity' }),
        result({ id: 'd', entityType: 'case' }),
      ],
      { 'dynamics:contoso': status('dynamics:contoso', 'Dynamics 365 · contoso') },
    );
    expect(groups.map((group) => [group.heading, group.items.map((item) => item.key)])).toEqual([
      ['Contacts', ['a', 'b']],
      ['Opportunities', ['c']],
      ['Cases', ['d']],
    ]);
    expect(groups.flatMap((group) => group.items.map((item) => item.icon))).toEqual([
      'contact',
      'contact',
      'opportunity',
      'generic',
    ]);
    // One source: rows do not repeat its name.
    expect(groups[0]?.items[0]?.sourceLabel).toBeUndefined();
  });

  it('name their connection when several answered', () => {
    const groups = resultGroups([result({ source: 'salesforce:sandbox' })], {
      'dynamics:contoso': status('dynamics:contoso', 'Dynamics 365 · contoso'),
      'salesforce:sandbox': status('salesforce:sandbox', 'Salesforce · sandbox'),
    });
    expect(groups[0]?.items[0]?.sourceLabel).toBe('Salesforce · sandbox');
    expect(groups[0]?.items[0]?.actions[0]?.label).toBe('Open in Salesforce');
  });

  it('offer Open first, then Copy link, Email, Copy email, Call, Copy phone where the record has them', () => {
    const actions = resultActions(
      result({ email: 'sean@contoso.example', phone: '+1 (206) 555-1234' }),
      'Dynamics 365',
    );
    expect(actions.map((action) => action.label)).toEqual([
      'Open in Dynamics 365',
      'Copy link',
      'Email',
      'Copy email',
      'Call',
      'Copy phone',
    ]);
    expect(actions.find((action) => action.id === 'call')?.effect).toEqual({
      kind: 'open',
      url: 'tel:+12065551234',
    });
    expect(actions.find((action) => action.id === 'email')?.effect).toEqual({
      kind: 'open',
      url: 'mailto:sean@contoso.example',
    });
    expect(resultActions(result({ url: undefined }), undefined)).toEqual([]);
  });

  it('call only numbers that are numbers', () => {
    expect(telUrl('+44 20 7946 1234')).toBe('tel:+442079461234');
    expect(telUrl('ask reception')).toBeUndefined();
    expect(telUrl('12')).toBeUndefined();
  });
});
