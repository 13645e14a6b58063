import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT_ID } from '../../../src-shared/demo-tenant';
import { startSandbox, type Sandbox } from '../../../src-sandbox/start-sandbox';
import { createAuthorizedHttpClient } from '../../auth/token-injector';
import { MinIntervalGate } from '../min-interval-gate';
import { ManualClock } from '../test/manual-clock';
import { DynamicsApi } from './dynamics-api';
import { DynamicsProvider, SEARCH_BUSY_NOTICE } from './dynamics-provider';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';

describe('Dynamics provider against the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small', faults: { search: { searchLimits: false } } });
  });
  afterAll(async () => sandbox?.stop());

  /** An HTTP client signed in as `user`; `firstTokenDelayMs` makes the first token slow (a refresh). */
  const httpAs = (user = ALEX, firstTokenDelayMs = 0) => {
    let first = true;
    return createAuthorizedHttpClient({
      displayName: 'Dynamics 365',
      baseURL: sandbox.dataverse.orgUrl,
      extraCa: sandbox.tls.caCert,
      tokenSource: {
        getAccessToken: async () => {
          if (first && firstTokenDelayMs > 0)
            await new Promise((resolve) => setTimeout(resolve, firstTokenDelayMs));
          first = false;
          return sandbox.mintAccessToken({
            user,
            scope: `${sandbox.dataverse.orgUrl}/user_impersonation`,
          });
        },
      },
    });
  };
  const provider = () =>
    new DynamicsProvider(
      new DynamicsApi(httpAs()),
      sandbox.dataverse.orgUrl,
      undefined,
      Date.now,
      new MinIntervalGate(0),
    );
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

  it('declares the 100-character limit Dataverse search enforces: longer text is refused, trimmed text answers', async () => {
    const long = `renewal ${'x'.repeat(120)}`;
    await expect(provider().search(long, { signal: signal() })).rejects.toMatchObject({
      message: 'Dynamics 365 refused the search.',
    });
    const dynamics = provider();
    expect(dynamics.maxQueryLength).toBe(100);
    await expect(
      dynamics.search(long.slice(0, dynamics.maxQueryLength), { signal: signal() }),
    ).resolves.toBeInstanceOf(Array);
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

  it('spaces Dataverse search requests a second after the previous answer and never sends a superseded one', async () => {
    // The first request is slow to leave (a token refresh, a TLS handshake), so it arrives late:
    // spacing from the send would let the next one arrive within the second Dataverse allows.
    const dynamics = new DynamicsProvider(
      new DynamicsApi(httpAs(ALEX, 300)),
      sandbox.dataverse.orgUrl,
    );
    sandbox.faults.set('search', { searchLimits: true });
    try {
      sandbox.counters.reset();
      await dynamics.search('contoso', { signal: signal() });
      const superseded = new AbortController();
      const waiting = dynamics.search('contoso l', { signal: superseded.signal });
      superseded.abort();
      await expect(waiting).rejects.toMatchObject({ code: 'cancelled' });
      const notices: string[] = [];
      await dynamics.search('contoso ltd', {
        signal: signal(),
        onNotice: (notice) => notices.push(notice),
      });
      const counts = sandbox.counters.snapshot();
      expect(counts.byService).toEqual({ search: 2 });
      expect(counts.byStatus['search 429']).toBeUndefined();
      expect(notices).toEqual([]);
    } finally {
      sandbox.faults.set('search', { searchLimits: false });
    }
  });

  it('sends the first query of a burst at once and holds the next for its turn', async () => {
    // The gate runs on a clock that stands still unless the test moves it: whatever is sent was not held.
    const clock = new ManualClock(Date.now());
    const dynamics = new DynamicsProvider(
      new DynamicsApi(httpAs()),
      sandbox.dataverse.orgUrl,
      undefined,
      clock.now,
      new MinIntervalGate(1000, clock.now, clock.schedule),
    );
    sandbox.counters.reset();
    await dynamics.search('contoso', { signal: signal() });
    // A pause of a second after that answer; then a burst: the first goes out at once.
    await clock.advance(1000);
    await dynamics.search('fabrikam', { signal: signal() });
    expect(sandbox.counters.snapshot().byService).toEqual({ search: 2 });
    const superseded = new AbortController();
    const held = dynamics.search('fabrikam l', { signal: superseded.signal });
    const latest = dynamics.search('fabrikam lt', { signal: signal() });
    // A real round trip later, nothing more was sent: both wait for the clock.
    await provider().health({ signal: signal() });
    expect(sandbox.counters.snapshot().byService).toEqual({ search: 2, dataverse: 1 });
    superseded.abort();
    await expect(held).rejects.toMatchObject({ code: 'cancelled' });
    await clock.advance(1000);
    await latest;
    expect(sandbox.counters.snapshot().byService).toEqual({ search: 3, dataverse: 1 });
  });

  it('answers a query Dataverse search throttles through the Web API, and asks search again only after Retry-After', async () => {
    const clock = new ManualClock(Date.now());
    // No spacing on the client: the sandbox's 1 request/s per user answers the second query 429.
    const dynamics = new DynamicsProvider(
      new DynamicsApi(httpAs()),
      sandbox.dataverse.orgUrl,
      undefined,
      clock.now,
      new MinIntervalGate(0, clock.now, clock.schedule),
    );
    sandbox.faults.set('search', { searchLimits: true });
    try {
      // A second of quiet for this user at the sandbox, from the tests before.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      sandbox.counters.reset();
      const notices: string[] = [];
      const onNotice = (notice: string) => notices.push(notice);
      await dynamics.search('contoso', { signal: signal(), onNotice });
      const throttled = await dynamics.search("o'brien", { signal: signal(), onNotice });
      expect(throttled.some((result) => result.title.includes("O'Brien"))).toBe(true);
      expect(notices).toEqual([SEARCH_BUSY_NOTICE]);
      let counts = sandbox.counters.snapshot();
      expect(counts.byStatus).toEqual({ 'search 200': 1, 'search 429': 1, 'dataverse 200': 4 });
      expect(counts.limits).toEqual({ 'search per-user': 1 });
      // Within Retry-After (1 s by the clock the provider keeps), the fallback answers directly.
      await dynamics.search('renewal', { signal: signal(), onNotice });
      counts = sandbox.counters.snapshot();
      expect(counts.byStatus).toEqual({ 'search 200': 1, 'search 429': 1, 'dataverse 200': 8 });
      expect(notices).toHaveLength(2);
      // After it, search again (and the sandbox's second has passed too).
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await clock.advance(10_000);
      await dynamics.search('contoso ltd', { signal: signal(), onNotice });
      expect(sandbox.counters.snapshot().byStatus['search 200']).toBe(2);
      expect(notices).toHaveLength(2);
    } finally {
      sandbox.faults.set('search', { searchLimits: false });
    }
  });
});

describe('Dynamics provider when the org uses up its Dataverse search budget', () => {
  let sandbox: Sandbox;
  // Its own sandbox: the org's minute of search requests starts empty.
  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
  });
  afterAll(async () => sandbox?.stop());
  const signal = () => new AbortController().signal;
  const httpAs = (on: Sandbox, user: string) =>
    createAuthorizedHttpClient({
      displayName: 'Dynamics 365',
      baseURL: on.dataverse.orgUrl,
      extraCa: on.tls.caCert,
      tokenSource: {
        getAccessToken: () =>
          on.mintAccessToken({ user, scope: `${on.dataverse.orgUrl}/user_impersonation` }),
      },
    });

  it("answers every user's query when the org's search budget runs out, through the Web API", async () => {
    const users = sandbox.users.filter((user) => user.tenantId === DEMO_TENANT_ID).slice(0, 4);
    expect(users).toHaveLength(4);
    sandbox.faults.set('search', { searchOrgRequestsPerMinute: 2 });
    try {
      sandbox.counters.reset();
      // Each user runs their own desktop app: a provider, a gate and a sign-in of their own.
      const answers = await Promise.all(
        users.map(async (user) => {
          const notices: string[] = [];
          const dynamics = new DynamicsProvider(
            new DynamicsApi(httpAs(sandbox, user.upn)),
            sandbox.dataverse.orgUrl,
          );
          const results = await dynamics.search('a', {
            signal: signal(),
            onNotice: (notice) => notices.push(notice),
          });
          return { results, notices };
        }),
      );
      const fallbacks = answers.filter((answer) => answer.notices.includes(SEARCH_BUSY_NOTICE));
      expect(fallbacks).toHaveLength(2);
      for (const answer of fallbacks) expect(answer.results.length).toBeGreaterThan(0);
      const counts = sandbox.counters.snapshot();
      expect(counts.limits).toEqual({ 'search per-org': 2 });
      expect(counts.byStatus).toEqual({ 'search 200': 2, 'search 429': 2, 'dataverse 200': 8 });
    } finally {
      sandbox.faults.set('search', { searchOrgRequestsPerMinute: 150 });
    }
  });
});
