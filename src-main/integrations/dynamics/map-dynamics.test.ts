import { describe, expect, it } from 'vitest';
import { searchResultSchema } from '../../../src-shared/domain/search';
import { contactPoints, toSearchResult } from './map-dynamics';

const ORG = 'https://contoso.crm4.dynamics.com';

describe('Dynamics mapping', () => {
  it('gives contacts, accounts and leads their email and phone for the launcher actions', () => {
    const result = toSearchResult({
      id: 'dynamics:contoso:opaque',
      entity: 'contact',
      recordId: '6f1c2a3b-0000-4000-8000-000000000001',
      attributes: {
        fullname: "Seán O'Brien",
        emailaddress1: 'sean.obrien@contoso.example',
        telephone1: '+1 206 555 1234',
      },
      orgUrl: ORG,
      source: 'dynamics:contoso',
      score: 1,
      fetchedAt: 1700000000000,
    });
    expect(searchResultSchema.parse(result)).toEqual(result);
    expect(result).toMatchObject({
      email: 'sean.obrien@contoso.example',
      phone: '+1 206 555 1234',
    });
    expect(contactPoints('account', { telephone1: '+1 425 555 1000' })).toEqual({
      phone: '+1 425 555 1000',
    });
    expect(contactPoints('lead', { emailaddress1: 'x@lead.example', telephone1: '' })).toEqual({
      email: 'x@lead.example',
    });
  });

  it('gives opportunities none (they have no address of their own)', () => {
    expect(contactPoints('opportunity', { emailaddress1: 'x@y.example' })).toEqual({});
  });
});
