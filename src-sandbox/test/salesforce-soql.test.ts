import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SalesforceError } from '../salesforce/salesforce-error';
import { caseSafeId, normalizeId } from '../salesforce/salesforce-ids';
import type { SalesforceUser } from '../salesforce/salesforce-org';
import { generateSalesforceOrg } from '../salesforce/salesforce-sample-data';
import { runSoql, type QueryContext } from '../salesforce/soql-engine';
import { parseSosl, runSearch } from '../salesforce/sosl';

const NOW = Date.parse('2025-03-10T20:00:00Z');
const org = generateSalesforceOrg('production', 'small', 20261123, NOW);
const context = (user: SalesforceUser = org.users[0] as SalesforceUser): QueryContext => ({
  org,
  user,
  now: NOW,
  version: '64.0',
});
const names = (soql: string, as?: SalesforceUser) =>
  runSoql(soql, context(as)).records.map(
    (record) => record.Name ?? record.Subject ?? record.ActivityDate,
  );
const errorOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('Salesforce stand-in: ids, SOQL and SOSL engines', () => {
  it('computes the documented 18-character form of a 15-character id and accepts either form', () => {
    // The REST API's own example id: https://developer.salesforce.com/docs/platform/api-rest/guide/dome-search.html
    expect(caseSafeId('001D000000IqhSL')).toBe('001D000000IqhSLIAZ');
    expect(normalizeId('001D000000IqhSL')).toBe('001D000000IqhSLIAZ');
    expect(normalizeId('001D000000IqhSLiaz')).toBe('001D000000IqhSLIAZ');
    expect(normalizeId('001D000000IqhSLIAA')).toBeUndefined();
    expect(normalizeId("O'Brien")).toBeUndefined();
  });

  it('generates the same org from the same seed, and different sandbox and production orgs', () => {
    const again = generateSalesforceOrg('production', 'small', 20261123, NOW);
    expect(again.orgId).toBe(org.orgId);
    expect(again.records.Task.map((task) => task.Id)).toEqual(
      org.records.Task.map((task) => task.Id),
    );
    const sandbox = generateSalesforceOrg('sandbox', 'small', 20261123, NOW);
    expect(sandbox.orgId).not.toBe(org.orgId);
    expect(
      sandbox.records.Account.every((account) => String(account.Name).endsWith(' (sandbox)')),
    ).toBe(true);
    expect(
      org.users
        .map((user) => user.Id)
        .every((id) => /^005[A-Za-z0-9]{15}$/.test(id) && normalizeId(id) === id),
    ).toBe(true);
  });

  it('sorts nulls first unless NULLS LAST, descending too', () => {
    // "ORDER BY", https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_orderby.htm
    const asc = names('SELECT ActivityDate FROM Task ORDER BY ActivityDate');
    const desc = names('SELECT ActivityDate FROM Task ORDER BY ActivityDate DESC');
    const last = names('SELECT ActivityDate FROM Task ORDER BY ActivityDate DESC NULLS LAST');
    expect(asc[0]).toBeNull();
    expect(desc[0]).toBeNull();
    expect(last.at(-1)).toBeNull();
    expect(last[0]).toBe([...asc].filter(Boolean).sort().at(-1));
  });

  it('evaluates IN, NOT IN, LIKE with escaped % and _, != including nulls, and LAST_N_DAYS in the user time zone', () => {
    const statuses = new Set(
      runSoql(
        "SELECT Status FROM Task WHERE Status IN ('deferred', 'In Progress')",
        context(),
      ).records.map((record) => record.Status),
    );
    expect(statuses).toEqual(new Set(['Deferred', 'In Progress']));
    expect(
      runSoql("SELECT Status FROM Task WHERE Status NOT IN ('Completed')", context()).records.every(
        (record) => record.Status !== 'Completed',
      ),
    ).toBe(true);
    // In LIKE only % and _ are wildcards; * is an ordinary character.
    expect(names("SELECT Name FROM Account WHERE Name LIKE 'star*light%'")).toEqual([
      'Star*Light Media',
    ]);
    expect(names("SELECT Name FROM Account WHERE Name LIKE 'star?light%'")).toEqual([]);
    expect(names("SELECT Name FROM Account WHERE Name LIKE 'star_light%'")).toEqual([
      'Star*Light Media',
    ]);
    expect(names("SELECT Name FROM Account WHERE Name LIKE 'star\\_light%'")).toEqual([]);
    const withNull = runSoql(
      'SELECT Id FROM Task WHERE ActivityDate != 2000-01-01',
      context(),
    ).totalSize;
    expect(withNull).toBe(org.records.Task.length);
    // At 20:00 UTC on 10 March it is already 11 March in Auckland.
    const nestor = org.users.find(
      (user) => user.TimeZoneSidKey === 'Pacific/Auckland',
    ) as SalesforceUser;
    expect(
      names('SELECT ActivityDate FROM Task WHERE ActivityDate = TODAY', nestor).every(
        (date) => date === '2025-03-11',
      ),
    ).toBe(true);
    expect(
      names('SELECT ActivityDate FROM Task WHERE ActivityDate = TODAY').every(
        (date) => date === '2025-03-10',
      ),
    ).toBe(true);
    const lastWeek = names('SELECT ActivityDate FROM Task WHERE ActivityDate = LAST_N_DAYS:7');
    expect(lastWeek.length).toBeGreaterThan(0);
    expect(
      lastWeek.every((date) => String(date) >= '2025-03-03' && String(date) <= '2025-03-10'),
    ).toBe(true);
  });

  it('never fails with anything but a Salesforce error on 1,000 random SOQL statements', () => {
    const fragments = [
      'SELECT',
      'Id',
      'Name',
      'What.Name',
      'FROM',
      'Task',
      'Account',
      'WHERE',
      'AND',
      'OR',
      'NOT',
      '(',
      ')',
      '=',
      '!=',
      '<',
      'LIKE',
      'IN',
      "'x'",
      "'O\\'B'",
      "'\\q'",
      'TODAY',
      'LAST_N_DAYS:3',
      '2025-01-01',
      'true',
      'null',
      'ORDER BY',
      'NULLS LAST',
      'LIMIT',
      '5',
      ',',
      "'",
      '\\',
      'COUNT()',
    ];
    let refused = 0;
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 5 })), {
          maxLength: 14,
        }),
        (parts) => {
          const error = errorOf(() => runSoql(parts.join(' '), context()));
          if (error !== undefined) {
            expect(error).toBeInstanceOf(SalesforceError);
            expect((error as SalesforceError).status).toBe(400);
            refused += 1;
          }
        },
      ),
      { numRuns: 1000, seed: 7117 },
    );
    expect(refused).toBeGreaterThan(0);
  });

  it('never fails with anything but a Salesforce error on 1,000 random search terms', () => {
    fc.assert(
      fc.property(
        fc.string({
          maxLength: 12,
          unit: fc.constantFrom(...'ab *?"()\\&-\'{}:!|+~^[]'.split(''), 'AND', 'OR', 'NOT'),
        }),
        (term) => {
          const error = errorOf(() =>
            runSearch(
              parseSosl(
                `FIND {${term}} RETURNING Account(Name), Contact(Name) LIMIT 10`,
                context(),
              ),
              context(),
            ),
          );
          if (error !== undefined)
            expect([
              error instanceof SalesforceError,
              (error as SalesforceError).errorCode,
            ]).toEqual([true, 'MALFORMED_SEARCH']);
        },
      ),
      { numRuns: 1000, seed: 7118 },
    );
  });
});
