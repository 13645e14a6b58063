import { describe, expect, it } from 'vitest';
import { integrationCatalog, integrationInfo, resolveTarget } from './catalog';

const policy = { extraOrigins: ['https://127.0.0.1:4431'] };
const info = (id: string) => {
  const found = integrationInfo(id);
  if (!found) throw new Error(`no ${id}`);
  return found;
};

describe('the integration catalog', () => {
  it('has unique ids and names', () => {
    expect(new Set(integrationCatalog.map((entry) => entry.id)).size).toBe(
      integrationCatalog.length,
    );
    expect(new Set(integrationCatalog.map((entry) => entry.name)).size).toBe(
      integrationCatalog.length,
    );
  });

  it("makes a Dynamics connection from the user's org subdomain, named after the org", () => {
    expect(resolveTarget(info('dynamics'), { org: 'Contoso.crm4' }, {}, policy)).toEqual({
      connectionId: 'contoso-crm4',
      label: 'contoso',
      origin: 'https://contoso.crm4.dynamics.com',
    });
    expect(
      resolveTarget(info('dynamics'), { org: 'https://evil.example' }, {}, policy),
    ).toMatchObject({ problem: expect.stringContaining('not a full address') });
  });

  it("holds to the admin's pinned orgs: the user picks one, nothing else", () => {
    const schema = info('dynamics').adminSettingsSchema(policy);
    const settings = schema.parse({
      orgs: [
        { url: 'https://contoso.crm4.dynamics.com/', label: 'Contoso EU' },
        { url: 'https://127.0.0.1:4431', label: 'Sandbox org' },
      ],
    });
    expect(
      info('dynamics')
        .pinnedTargets(settings)
        .map((target) => target.connectionId),
    ).toEqual(['contoso-crm4', '127-0-0-1-4431']);
    expect(
      resolveTarget(info('dynamics'), { target: 'contoso-crm4' }, settings, policy),
    ).toMatchObject({ label: 'Contoso EU', origin: 'https://contoso.crm4.dynamics.com' });
    expect(resolveTarget(info('dynamics'), { org: 'other.crm' }, settings, policy)).toMatchObject({
      problem: expect.any(String),
    });
    // One pin needs no choice (the first release's single `orgUrl`).
    expect(
      resolveTarget(
        info('dynamics'),
        {},
        schema.parse({ orgUrl: 'https://contoso.crm4.dynamics.com' }),
        policy,
      ),
    ).toMatchObject({ connectionId: 'contoso-crm4' });
  });

  it('refuses admin org URLs that are not Dynamics orgs or the allowed extra origins', () => {
    const schema = info('dynamics').adminSettingsSchema(policy);
    for (const url of [
      'http://contoso.crm4.dynamics.com',
      'https://evil.example',
      'https://x.crm.dynamics.com.evil.example',
      'https://127.0.0.1:9999',
    ]) {
      expect(schema.safeParse({ orgUrl: url }).success, url).toBe(false);
    }
    expect(schema.safeParse({ orgUrl: 'https://contoso.crm.dynamics.com', extra: 1 }).success).toBe(
      false,
    );
  });

  it('makes Salesforce connections per environment, My Domains included, and pins them for the admin', () => {
    const salesforce = info('salesforce');
    expect(resolveTarget(salesforce, { environment: 'production' }, {}, policy)).toEqual({
      connectionId: 'production',
      label: 'production',
      origin: 'https://login.salesforce.com',
    });
    expect(resolveTarget(salesforce, { environment: 'sandbox' }, {}, policy)).toMatchObject({
      connectionId: 'sandbox',
      origin: 'https://test.salesforce.com',
    });
    expect(
      resolveTarget(
        salesforce,
        { environment: 'mydomain', myDomain: 'acme--uat.sandbox.my.salesforce.com' },
        {},
        policy,
      ),
    ).toMatchObject({ origin: 'https://acme--uat.sandbox.my.salesforce.com' });
    expect(
      resolveTarget(
        salesforce,
        { environment: 'mydomain', myDomain: 'acme.salesforce.evil.example' },
        {},
        policy,
      ),
    ).toMatchObject({ problem: expect.any(String) });
    const schema = salesforce.adminSettingsSchema(policy);
    expect(
      schema.safeParse({ environments: [{ loginUrl: 'https://evil.example', label: 'x' }] })
        .success,
    ).toBe(false);
    const settings = schema.parse({
      environments: [{ loginUrl: 'https://127.0.0.1:4431', label: 'Sandbox' }],
    });
    expect(resolveTarget(salesforce, {}, settings, policy)).toMatchObject({
      connectionId: 'sandbox',
      origin: 'https://127.0.0.1:4431',
    });
  });

  it('gives Outlook one connection and accepts no admin settings', () => {
    expect(resolveTarget(info('outlook'), {}, {}, policy)).toMatchObject({
      connectionId: 'default',
    });
    expect(
      info('outlook').adminSettingsSchema(policy).safeParse({ orgUrl: 'https://x' }).success,
    ).toBe(false);
  });
});
