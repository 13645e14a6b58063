import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../src-sandbox/start-sandbox';
import { createAuthorizedHttpClient } from '../../auth/token-injector';
import { MinIntervalGate } from '../min-interval-gate';
import { DynamicsApi } from './dynamics-api';
import { DynamicsProvider } from './dynamics-provider';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';

describe('Dynamics provider against the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small', faults: { search: { searchLimits: false } } });
  });
  afterAll(async () => sandbox?.stop());

  const provider = () => {
    const http = createAuthorizedHttpClient({
      displayName: 'Dynamics 365',
      baseURL: sandbox.dataverse.orgUrl,
      extraCa: sandbox.tls.caCert,
      tokenSource: {
        getAccessToken: () =>
          sandbox.mintAccessToken({
            user: ALEX,
            scope: `${sandbox.dataverse.orgUrl}/user_impersonation`,
          }),
      },
    });
    return new DynamicsProvider(
      new DynamicsApi(http),
      sandbox.dataverse.orgUrl,
      undefined,
      Date.now,
      new MinIntervalGate(0),
    );
  };
  const signal = () => new AbortController().signal;

  it("finds O'Brien with one Dataverse search request, with subtitle and a deep link", async () => {
    sandbox.counters.reset();
    const results = await provider().search("o'brien", { signal: signal() });
    const contact = results.find((result) => result.entityType === 'contact');
    expect(contact?.title).toContain("O'Brien");
    expect(contact?.subtitle).toMatch(/^Contact · .+ · .+@/);
    expect(contact?.id).toMatch(/^dynamics:[\w-]{22}$/);
    expect(new URL(contact?.url ?? '').searchParams.get('pagetype')).toBe('entityrecord');
    // Record GUIDs appear only in the deep link, never in the id the renderer keys on.
    expect(results.every((result) => !/[0-9a-f]{8}-[0-9a-f]{4}-/.test(result.id))).toBe(true);
    expect(sandbox.counters.snapshot().byService).toEqual({ search: 1 });
  });

  it('falls back to one OData request per table once search is disabled, and remembers it', async () => {
    sandbox.faults.set('search', { searchDisabled: true });
    try {
      const dynamics = provider();
      sandbox.counters.reset();
      const first = await dynamics.search("o'brien", { signal: signal() });
      expect(first.some((result) => result.title.includes("O'Brien"))).toBe(true);
      expect(dynamics.usesFallback).toBe(true);
      expect(sandbox.counters.snapshot().byService).toEqual({ search: 1, dataverse: 4 });
      sandbox.counters.reset();
      await dynamics.search('contoso', { signal: signal() });
      expect(sandbox.counters.snapshot().byService).toEqual({ dataverse: 4 });
      const opportunity = (await dynamics.search('renewal', { signal: signal() })).find(
        (result) => result.entityType === 'opportunity',
      );
      expect(opportunity?.subtitle).toMatch(/\$[\d,]+\.\d{2}/);
    } finally {
      sandbox.faults.set('search', { searchDisabled: false });
    }
  });

  it('reports its health: ok with a valid sign-in, needs reconnect when Dynamics refuses it', async () => {
    expect(await provider().health({ signal: signal() })).toEqual({ state: 'ok' });
    const refused = createAuthorizedHttpClient({
      displayName: 'Dynamics 365',
      baseURL: sandbox.dataverse.orgUrl,
      extraCa: sandbox.tls.caCert,
      tokenSource: { getAccessToken: async () => 'not.a.token' },
    });
    expect(
      await new DynamicsProvider(new DynamicsApi(refused), sandbox.dataverse.orgUrl).health({
        signal: signal(),
      }),
    ).toMatchObject({ state: 'needs_reconnect' });
  });

  it('spaces Dataverse search requests one second apart and never sends a superseded one', async () => {
    const http = createAuthorizedHttpClient({
      displayName: 'Dynamics 365',
      baseURL: sandbox.dataverse.orgUrl,
      extraCa: sandbox.tls.caCert,
      tokenSource: {
        getAccessToken: () =>
          sandbox.mintAccessToken({
            user: ALEX,
            scope: `${sandbox.dataverse.orgUrl}/user_impersonation`,
          }),
      },
    });
    const dynamics = new DynamicsProvider(new DynamicsApi(http), sandbox.dataverse.orgUrl);
    sandbox.faults.set('search', { searchLimits: true });
    try {
      sandbox.counters.reset();
      await dynamics.search('contoso', { signal: signal() });
      const superseded = new AbortController();
      const waiting = dynamics.search('contoso l', { signal: superseded.signal });
      superseded.abort();
      await expect(waiting).rejects.toMatchObject({ code: 'cancelled' });
      await dynamics.search('contoso ltd', { signal: signal() });
      const counts = sandbox.counters.snapshot();
      expect(counts.byService.search).toBe(2);
      expect(counts.byStatus['search 429']).toBeUndefined();
    } finally {
      sandbox.faults.set('search', { searchLimits: false });
    }
  });
});
