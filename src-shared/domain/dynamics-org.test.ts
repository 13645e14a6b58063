import { describe, expect, it } from 'vitest';
import { dynamicsOrgSubdomainSchema, dynamicsOrgUrl } from './dynamics-org';

describe('Dynamics org subdomain', () => {
  it.each([
    ['org31ec4237.crm4', 'https://org31ec4237.crm4.dynamics.com'],
    ['Contoso', 'https://contoso.crm.dynamics.com'],
    ['  contoso-sales.crm11 ', 'https://contoso-sales.crm11.dynamics.com'],
    ['fabrikam.crm', 'https://fabrikam.crm.dynamics.com'],
  ])('%s -> %s', (input, url) => {
    expect(dynamicsOrgUrl(input)).toBe(url);
  });

  it.each([
    ['https://contoso.crm.dynamics.com', 'not a full address'],
    ['contoso.crm.dynamics.com', 'not a full address'],
    ['evil.com/x', 'not a full address'],
    ['contoso.evil', 'not a Dynamics 365 org name'],
    ['-contoso', 'not a Dynamics 365 org name'],
    ['contoso.crm99', 'not a Dynamics 365 org name'],
    ['', 'not a Dynamics 365 org name'],
    ['a'.repeat(64), 'not a Dynamics 365 org name'],
  ])('refuses %j with an explanation', (input, reason) => {
    const result = dynamicsOrgSubdomainSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(reason);
  });
});
