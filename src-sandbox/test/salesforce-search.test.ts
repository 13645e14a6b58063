import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SalesforceEnvironment } from '../start-sandbox';
import { sandboxFetch, type SandboxResponse } from '../test-support/sandbox-fetch';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';
const API = '/services/data/v64.0';
type SearchRecord = { attributes: { type: string; url: string } } & Record<string, unknown>;

// "Search", https://developer.salesforce.com/docs/platform/api-rest/guide/resources-search.html
// "FIND {SearchQuery}", https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_sosl_find.htm
describe('Salesforce stand-in: SOSL search and parameterized search', () => {
  let sandbox: Sandbox;
  const tokens: Partial<Record<SalesforceEnvironment, string>> = {};
  const get = (path: string, environment: SalesforceEnvironment = 'production') =>
    sandboxFetch(`${sandbox.salesforce.environments[environment].instanceUrl}${path}`, {
      ca: sandbox.tls.caCert,
      token: tokens[environment],
    });
  const search = (sosl: string, environment: SalesforceEnvironment = 'production') =>
    get(`${API}/search?q=${encodeURIComponent(sosl)}`, environment);
  const records = async (sosl: string, environment: SalesforceEnvironment = 'production') => {
    const answer = await search(sosl, environment);
    expect(answer.status, answer.text).toBe(200);
    return answer.json<{ searchRecords: SearchRecord[] }>().searchRecords;
  };
  const expectMalformed = (answer: SandboxResponse, message?: RegExp) => {
    expect(answer.status, answer.text).toBe(400);
    const [error] = answer.json<{ message: string; errorCode: string }[]>();
    expect(error?.errorCode).toBe('MALFORMED_SEARCH');
    if (message) expect(error?.message).toMatch(message);
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
    for (const environment of ['production', 'sandbox'] as const)
      tokens[environment] = sandbox.salesforce.issueTokens({ environment, user: ALEX }).accessToken;
  });
  afterAll(async () => sandbox?.stop());

  it('answers {"searchRecords": [...]} with attributes.type, attributes.url and just the fields asked for', async () => {
    const found = await records(
      'FIND {Acme \\& Co} IN ALL FIELDS RETURNING Account(Id, Name, Phone, BillingCity, Industry)',
    );
    expect(found).toHaveLength(1);
    const [account] = found as [SearchRecord];
    expect(Object.keys(account)).toEqual([
      'attributes',
      'Id',
      'Name',
      'Phone',
      'BillingCity',
      'Industry',
    ]);
    expect(account.attributes).toEqual({
      type: 'Account',
      url: `${API}/sobjects/Account/${String(account.Id)}`,
    });
    expect(account.Name).toBe('Acme & Co');
    expect(String(account.Id)).toMatch(/^001[A-Za-z0-9]{15}$/);
    // Without a field list a record carries its Id only.
    expect(Object.keys((await records('FIND {Acme \\& Co} RETURNING Account'))[0] ?? {})).toEqual([
      'attributes',
      'Id',
    ]);
  });

  it('requires reserved characters to be escaped with a backslash, and reads escaped ones literally', async () => {
    for (const term of [
      "O'Brien",
      'Hernández-Zamora',
      'Acme & Co',
      'Who! What',
      'Wingtip+',
      'Northwind [EU]',
      'a:b',
      'x^2',
      'c~d',
      'a|b',
      '{acme}',
    ]) {
      expectMalformed(await search(`FIND {${term}} RETURNING Contact(Name)`));
    }
    const escape = (text: string) =>
      text.replace(/[?&|!{}[\]()^~*:\\"'+-]/g, (char) => `\\${char}`);
    const cases: [string, string, string][] = [
      ["Seán O'Brien", 'Contact', "Seán O'Brien"],
      ['María Hernández-Zamora', 'Contact', 'María Hernández-Zamora'],
      ['Northwind [EU] Ltd', 'Account', 'Northwind [EU] Ltd'],
      ['Who? What! Partners', 'Account', 'Who? What! Partners'],
      ['Wingtip+ Toys', 'Account', 'Wingtip+ Toys'],
      ['Star*Light', 'Account', 'Star*Light Media'],
    ];
    for (const [text, object, name] of cases) {
      const names = (
        await records(`FIND {${escape(text)}} IN NAME FIELDS RETURNING ${object}(Name)`)
      ).map((record) => record.Name);
      expect(names, text).toContain(name);
    }
    // Inside a phrase the reserved characters still need escaping.
    expectMalformed(await search('FIND {"Acme & Co"} RETURNING Account(Name)'));
    expect(
      (await records('FIND {"Acme \\& Co"} RETURNING Account(Name)')).map((record) => record.Name),
    ).toEqual(['Acme & Co']);
  });

  it('answers MALFORMED_SEARCH for a missing or unbalanced search term, a one-character term and broken clauses', async () => {
    expectMalformed(
      await search('FIND acme RETURNING Account'),
      /^No search term found\. The search term must be enclosed in braces\.$/,
    );
    expectMalformed(await search('FIND {acme RETURNING Account'), /No search term found/);
    expectMalformed(await search('FIND {a}'), /search term must be longer than one character/);
    expectMalformed(await search('FIND {"acme} RETURNING Account'));
    expectMalformed(await search('FIND {(acme} RETURNING Account'));
    expectMalformed(
      await search('FIND {acme} RETURNING Account(Name'),
      /ERROR at Row:1:Column:\d+/,
    );
    expectMalformed(await search('FIND {acme} IN EVERY FIELDS'));
    const [unknownField] = (await search('FIND {acme} RETURNING Account(Nmae)')).json<
      { errorCode: string; message: string }[]
    >();
    expect(unknownField).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("No such column 'Nmae' on entity 'Account'"),
    });
    expect(
      (await search('FIND {acme} RETURNING Acount(Name)')).json<{ errorCode: string }[]>()[0]
        ?.errorCode,
    ).toBe('INVALID_TYPE');
    expect((await get(`${API}/search`)).status).toBe(400);
  });

  it('orders results by the RETURNING list, honours per-object LIMIT and spreads the overall LIMIT evenly', async () => {
    // "RETURNING FieldSpec", https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-sosl-returning.html
    // "LIMIT n", https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_sosl_limit.htm
    const types = (list: SearchRecord[]) => list.map((record) => record.attributes.type);
    const unlimited = await records('FIND {Smith} RETURNING Lead(Id), Contact(Id)');
    const leads = types(unlimited).filter((type) => type === 'Lead').length;
    const contacts = types(unlimited).filter((type) => type === 'Contact').length;
    expect(leads).toBeGreaterThan(3);
    expect(contacts).toBeGreaterThan(3);
    expect(types(unlimited)).toEqual([
      ...Array<string>(leads).fill('Lead'),
      ...Array<string>(contacts).fill('Contact'),
    ]);
    expect(types(await records('FIND {Smith} RETURNING Contact(Id), Lead(Id)'))[0]).toBe('Contact');
    expect(
      types(await records('FIND {Smith} RETURNING Lead(Id LIMIT 2), Contact(Id LIMIT 1)')),
    ).toEqual(['Lead', 'Lead', 'Contact']);
    expect(types(await records('FIND {Smith} RETURNING Lead(Id), Contact(Id) LIMIT 6'))).toEqual([
      'Lead',
      'Lead',
      'Lead',
      'Contact',
      'Contact',
      'Contact',
    ]);
    // A per-object limit leaves the rest of the overall limit to the other objects.
    expect(
      types(await records('FIND {Smith} RETURNING Lead(Id LIMIT 1), Contact(Id) LIMIT 4')),
    ).toEqual(['Lead', 'Contact', 'Contact', 'Contact']);
    expect(await records('FIND {Smith} RETURNING Lead(Id LIMIT 0)')).toEqual([]);
  });

  it('ignores case and accents, and treats unescaped * and ? as wildcards', async () => {
    const names = async (sosl: string) =>
      (await records(sosl)).map((record) => String(record.Name));
    expect(await names('FIND {ACME \\& co} RETURNING Account(Name)')).toEqual(['Acme & Co']);
    expect(await names('FIND {cafe societe} IN NAME FIELDS RETURNING Account(Name)')).toContain(
      'Café Société',
    );
    const prefix = await names("FIND {o\\'bri*} IN NAME FIELDS RETURNING Contact(Name)");
    expect(prefix.length).toBeGreaterThan(1);
    expect(prefix.every((name) => name.includes("O'Brien"))).toBe(true);
    const single = await names('FIND {Sm?th} IN NAME FIELDS RETURNING Contact(Name)');
    expect(single.length).toBeGreaterThan(0);
    expect(single.every((name) => name.includes('Smith'))).toBe(true);
    expect(await names('FIND {Smit} IN NAME FIELDS RETURNING Contact(Name)')).toEqual([]);
  });

  it('combines terms with AND (implicit), OR and AND NOT, and searches the chosen field group', async () => {
    const ids = async (sosl: string) =>
      new Set((await records(sosl)).map((record) => String(record.Id)));
    const obrien = await ids("FIND {O\\'Brien} IN NAME FIELDS RETURNING Contact(Id)");
    const sean = await ids('FIND {Seán} IN NAME FIELDS RETURNING Contact(Id)');
    const both = await ids("FIND {Seán O\\'Brien} IN NAME FIELDS RETURNING Contact(Id)");
    expect([...both].every((id) => obrien.has(id) && sean.has(id))).toBe(true);
    expect(both.size).toBeGreaterThan(0);
    const either = await ids("FIND {Seán OR O\\'Brien} IN NAME FIELDS RETURNING Contact(Id)");
    expect(either.size).toBe(new Set([...obrien, ...sean]).size);
    const without = await ids("FIND {O\\'Brien AND NOT Seán} IN NAME FIELDS RETURNING Contact(Id)");
    expect(without.size).toBe(obrien.size - both.size);
    // EMAIL FIELDS searches e-mail addresses only: the contacts' domain is not in any name.
    const byEmail = await records(
      'FIND {contact.example} IN EMAIL FIELDS RETURNING Contact(Email) LIMIT 5',
    );
    expect(byEmail.length).toBe(5);
    expect(await records('FIND {contact.example} IN NAME FIELDS RETURNING Contact(Email)')).toEqual(
      [],
    );
  });

  it('nests relationship fields under the relationship name and filters RETURNING objects with WHERE', async () => {
    const [contact] = await records(
      "FIND {Seán O\\'Brien} IN NAME FIELDS RETURNING Contact(Id, Name, Email, Phone, Title, Account.Name WHERE Account.Name = 'Acme & Co')",
    );
    expect(contact?.Account).toEqual({
      attributes: {
        type: 'Account',
        url: expect.stringMatching(new RegExp(`^${API}/sobjects/Account/001`)),
      },
      Name: 'Acme & Co',
    });
    expect(
      await records(
        "FIND {Seán O\\'Brien} IN NAME FIELDS RETURNING Contact(Id WHERE Account.Name = 'Nobody')",
      ),
    ).toEqual([]);
  });

  it('runs a parameterized search from the query string or a JSON body, refusing SOSL in q', async () => {
    // "Search with Parameters in the URI", https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_search_parameterized_get.htm
    const viaGet = await get(
      `${API}/parameterizedSearch/?q=acme&sobject=Account&Account.fields=id,name&Account.limit=10`,
    );
    expect(viaGet.status, viaGet.text).toBe(200);
    const found = viaGet.json<{ searchRecords: SearchRecord[] }>().searchRecords;
    expect(found.map((record) => [record.attributes.type, record.Name])).toEqual([
      ['Account', 'Acme & Co'],
    ]);
    expect(Object.keys(found[0] ?? {})).toEqual(['attributes', 'Id', 'Name']);
    const twoObjects = (
      await get(
        `${API}/parameterizedSearch/?q=${encodeURIComponent("O\\'Brien")}&sobject=Lead&sobject=Contact&fields=Id,Name&defaultLimit=2&in=NAME`,
      )
    ).json<{ searchRecords: SearchRecord[] }>().searchRecords;
    expect(twoObjects.map((record) => record.attributes.type)).toEqual([
      'Lead',
      'Lead',
      'Contact',
      'Contact',
    ]);
    const viaPost = await sandboxFetch(
      `${sandbox.salesforce.environments.production.instanceUrl}${API}/parameterizedSearch/`,
      {
        ca: sandbox.tls.caCert,
        token: tokens.production,
        method: 'POST',
        body: {
          q: 'acme',
          sobjects: [{ name: 'Account', fields: ['Id', 'Name', 'Phone'], limit: 5 }],
          in: 'ALL',
        },
      },
    );
    expect(
      viaPost.json<{ searchRecords: SearchRecord[] }>().searchRecords.map((record) => record.Name),
    ).toEqual(['Acme & Co']);
    expectMalformed(
      await get(`${API}/parameterizedSearch/?q=${encodeURIComponent('FIND {acme}')}`),
    );
    expectMalformed(
      await get(
        `${API}/parameterizedSearch/?q=${encodeURIComponent('acme} RETURNING User(Username')}`,
      ),
    );
    expect(
      (await get(`${API}/parameterizedSearch/?q=acme&sobject=Account&Account.limit=5000`)).status,
    ).toBe(400);
  });

  it("searches each environment's own org", async () => {
    const production = await records('FIND {Acme \\& Co} RETURNING Account(Id, Name)');
    const sandboxed = await records('FIND {Acme \\& Co} RETURNING Account(Id, Name)', 'sandbox');
    expect(production.map((record) => record.Name)).toEqual(['Acme & Co']);
    expect(sandboxed.map((record) => record.Name)).toEqual(['Acme & Co (sandbox)']);
    expect(sandboxed[0]?.Id).not.toBe(production[0]?.Id);
  });
});
