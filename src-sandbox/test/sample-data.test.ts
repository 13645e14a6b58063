import { describe, expect, it } from 'vitest';
import { generateSampleData } from '../data/sample-data';
import { contosoSample, fabrikamSample } from '../data/sample-orgs';

describe('sample data', () => {
  it('is deterministic for a seed and holds the real-world name cases', () => {
    const a = generateSampleData('small', 7, 0);
    const b = generateSampleData('small', 7, 0);
    expect(JSON.stringify(a.tables)).toBe(JSON.stringify(b.tables));
    const names = a.tables.contact.map((row) => String(row.fullname));
    expect(names.some((name) => name.includes("O'"))).toBe(true);
    expect(names.some((name) => /[\u3040-\u9fff]/.test(name))).toBe(true);
    expect(names.some((name) => /[éëöüá]/.test(name))).toBe(true);
    expect(names.some((name) => name.length > 40)).toBe(true);
    expect(new Set(names).size).toBeLessThan(names.length); // duplicates exist
    const states = new Set(a.tables.task.map((row) => row.statecode));
    expect(states).toEqual(new Set([0, 1, 2]));
    expect(
      a.tables.task.some((row) => row.statecode === 0 && Date.parse(String(row.scheduledend)) < 0),
    ).toBe(true); // overdue
  });

  it('has hundreds of rows small and at least 50,000 large', () => {
    const total = (size: 'small' | 'large') =>
      Object.values(generateSampleData(size, 1).tables).reduce((sum, rows) => sum + rows.length, 0);
    expect(total('small')).toBeGreaterThanOrEqual(300);
    expect(total('small')).toBeLessThan(1000);
    expect(total('large')).toBeGreaterThanOrEqual(50_000);
  });
});

describe('a second sample org', () => {
  it('draws its own rows: other account names, ids and e-mail domain, owned by the same sample users', () => {
    const contoso = generateSampleData('small', 7, 0, contosoSample);
    const fabrikam = generateSampleData('small', 7, 0, fabrikamSample);
    expect(JSON.stringify(generateSampleData('small', 7, 0, fabrikamSample).tables)).toBe(
      JSON.stringify(fabrikam.tables),
    );
    expect(JSON.stringify(generateSampleData('small', 7, 0).tables)).toBe(
      JSON.stringify(contoso.tables),
    ); // Contoso stays the default
    const names = (data: typeof contoso) =>
      new Set(data.tables.account.map((row) => String(row.name)));
    const shared = [...names(fabrikam)].filter((name) => names(contoso).has(name));
    expect(shared).toEqual([]);
    expect(names(fabrikam).has('Fourth Coffee (sample)')).toBe(true);
    expect(
      fabrikam.tables.contact.every((row) =>
        String(row.emailaddress1).endsWith('@fabrikam.example'),
      ),
    ).toBe(true);
    expect([fabrikam.organizationId, fabrikam.businessUnitId]).not.toEqual([
      contoso.organizationId,
      contoso.businessUnitId,
    ]);
    const ids = new Set(contoso.tables.systemuser.map((row) => row.systemuserid));
    expect(fabrikam.tables.systemuser.some((row) => ids.has(row.systemuserid))).toBe(false);
    // The same people, by their Entra object id, so Alex sees rows in both orgs.
    const oids = (data: typeof contoso) =>
      data.tables.systemuser.map((row) => row.azureactivedirectoryobjectid);
    expect(oids(fabrikam)).toEqual(oids(contoso));
    const alex = fabrikam.tables.systemuser[0]?.systemuserid;
    expect(
      fabrikam.tables.account.filter((row) => row._ownerid_value === alex).length,
    ).toBeGreaterThan(0);
    expect(
      fabrikam.tables.task.filter((row) => row._ownerid_value === alex && row.statecode === 0)
        .length,
    ).toBeGreaterThan(0);
  });
});
