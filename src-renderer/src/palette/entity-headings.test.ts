import { describe, expect, it } from 'vitest';
import { entityHeading } from './entity-headings';

describe('group headings', () => {
  it('are plural words, never the raw type', () => {
    expect(['meeting', 'lead', 'opportunity', 'contact'].map(entityHeading)).toEqual([
      'Meetings',
      'Leads',
      'Opportunities',
      'Contacts',
    ]);
  });

  it('make a plural of a type they do not know, prototype names included', () => {
    expect(entityHeading('case')).toBe('Cases');
    expect(entityHeading('sales_order')).toBe('Sales orders');
    expect(entityHeading('constructor')).toBe('Constructors');
    expect(entityHeading('')).toBe('Other results');
  });
});
