import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startSandbox,
  type SalesforceEnvironment,
  type Sandbox,
} from '../../../src-sandbox/start-sandbox';
import { sandboxFetch } from '../../../src-sandbox/test-support/sandbox-fetch';
import type { ISearchProvider } from '../search-provider';
import { salesforceConnection, type SalesforceConnection } from './test/salesforce-connection';

const signal = () => new AbortController().signal;

// SOSL through the REST API's search resource: https://developer.salesforce.com/docs/platform/api-rest/guide/resources-search.html
describe('Salesforce search against the stand-in', () => {
  let sandbox: Sandbox;
  const connections = {} as Record<SalesforceEnvironment, SalesforceConnection>;
  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
    for (const environment of ['production', 'sandbox'] as const)
      connections[environment] = await salesforceConnection(sandbox, environment);
  });
  afterAll(async () => sandbox?.stop());

  const provider = async (
    environment: SalesforceEnvironment = 'production',
  ): Promise<ISearchProvider> => {
    const search = await connections[environment].connection.search();
    if (!search) throw new Error('no search provider');
    return search;
  };

  it('searches production and sandbox, each its own org, with one SOSL request per query', async () => {
    for (const environment of ['production', 'sandbox'] as const) {
      const suffix = environment === 'sandbox' ? ' (sandbox)' : '';
      const instance = sandbox.salesforce.environments[environment].instanceUrl;
      const search = await provider(environment);
      expect(search.id).toBe(`salesforce:${environment}`);
      expect(search.label).toBe(`Salesforce · ${environment}`);
      sandbox.counters.reset();
      const results = await search.search("o'brien", { signal: signal() });
      expect(sandbox.counters.snapshot().byService).toEqual({ salesforce: 1 });
      expect(
        results.find(
          (result) => result.entityType === 'contact' && result.title === `Seán O'Brien${suffix}`,
        )?.subtitle,
      ).toMatch(/^Contact · .+ · sean\.obrien@contact\.example/);
      expect(
        results.find(
          (result) => result.entityType === 'lead' && result.title === `Patrick O'Brien${suffix}`,
        )?.subtitle,
      ).toContain("Lead · O'Brien & Sons");
      const hosts = await connections[environment].connection.linkHosts();
      expect(hosts).toEqual([new URL(instance).host]);
      for (const result of results) {
        expect(result.id).toMatch(new RegExp(`^salesforce:${environment}:[\\w-]{22}$`));
        const url = new URL(result.url ?? '');
        expect(hosts).toContain(url.host);
        // The record id appears only in the link, never in the id the renderer keys on.
        const recordId = /^\/lightning\/r\/\w+\/(\w{18})\/view$/.exec(url.pathname)?.[1] ?? '';
        expect(recordId).not.toBe('');
        expect(result.id).not.toContain(recordId.slice(0, 15));
      }
      // The link opens the record's page on the org's instance.
      const contact = results.find((result) => result.entityType === 'contact');
      const page = await sandboxFetch(contact?.url ?? '', { ca: sandbox.tls.caCert });
      expect(page.status).toBe(200);
      expect(page.text).toContain('O&#39;Brien');
    }
  });

  it('finds names made of the characters SOSL reserves, typed as they are written', async () => {
    const search = await provider();
    for (const name of [
      'Acme & Co',
      "O'Reilly Freight",
      'Hernández-Zamora',
      'Northwind [EU]',
      'Star*Light',
      'Who? What!',
      'Wingtip+ Toys',
    ]) {
      const results = await search.search(name, { signal: signal() });
      expect(
        results.some((result) => result.title.toLowerCase().includes(name.toLowerCase())),
        name,
      ).toBe(true);
    }
  });

  it('keeps typed text inside the search: no clause can be added', async () => {
    const search = await provider();
    for (const attack of [
      '} RETURNING User(Id, Username)',
      'acme} IN ALL FIELDS RETURNING User(Id) LIMIT 2000',
      'acme OR NOT',
      '\\} RETURNING User(Id)',
    ]) {
      const results = await search.search(attack, { signal: signal() });
      expect(
        results.every((result) =>
          ['lead', 'contact', 'account', 'opportunity'].includes(result.entityType),
        ),
        attack,
      ).toBe(true);
    }
  });

  it('answers nothing, without a request, for text too short or only reserved characters', async () => {
    const search = await provider();
    sandbox.counters.reset();
    for (const text of ['', 'a', '*', '{}', '?!', '"-"', '\\ ~ ^'])
      expect(await search.search(text, { signal: signal() })).toEqual([]);
    expect(sandbox.counters.snapshot().total).toBe(0);
  });

  it('says the org is throttling when it answers REQUEST_LIMIT_EXCEEDED', async () => {
    const search = await provider();
    sandbox.faults.set('salesforce', { dailyApiRequests: 0 });
    try {
      const before = Date.now();
      const failure = await search.search('acme', { signal: signal() }).then(
        () => undefined,
        (error: unknown) => error as { code?: string; retryAt?: number; message?: string },
      );
      expect(failure).toMatchObject({
        code: 'throttled',
        message:
          'Salesforce · production has reached its API request limit; Workstation will try again later.',
      });
      expect(failure?.retryAt).toBeGreaterThan(before);
      expect(await search.health({ signal: signal() })).toMatchObject({ state: 'throttled' });
    } finally {
      sandbox.faults.set('salesforce', { dailyApiRequests: 100_000 });
    }
  });

  it('renews an expired session once and searches on', async () => {
    const search = await provider('sandbox');
    sandbox.faults.set('salesforce', { sessionsExpired: true });
    try {
      sandbox.counters.reset();
      expect((await search.search('acme', { signal: signal() })).length).toBeGreaterThan(0);
      expect(sandbox.counters.snapshot().byService).toEqual({
        salesforce: 2,
        'salesforce-oauth': 1,
      });
    } finally {
      sandbox.faults.set('salesforce', { sessionsExpired: false });
    }
  });

  // Last: revoking every refresh token also ends the connections the other tests share.
  it('reports its health: ok, then Reconnect once Salesforce refuses the sign-in', async () => {
    const connection = await salesforceConnection(sandbox, 'sandbox');
    const search = await connection.connection.search();
    expect(await search?.health({ signal: signal() })).toEqual({ state: 'ok' });
    sandbox.faults.set('salesforce', { sessionsExpired: true, refreshTokensRevoked: true });
    try {
      expect(await search?.health({ signal: signal() })).toEqual({
        state: 'needs_reconnect',
        message: 'Your Salesforce · sandbox sign-in has expired. Choose Reconnect.',
      });
      expect(await connection.connection.summary()).toMatchObject({ state: 'needs_reconnect' });
    } finally {
      sandbox.faults.set('salesforce', { sessionsExpired: false, refreshTokensRevoked: false });
    }
  });
});
