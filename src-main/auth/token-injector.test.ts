import type { Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src-sandbox/start-sandbox';
import { workstationError } from '../../src-shared/errors';
import { createAuthorizedHttpClient } from './token-injector';
import type { ITokenSource } from './token-source';

const ALEX = 'alex.wilber@contoso-sample.onmicrosoft.com';

describe('token injector against the sandbox Dataverse', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'small' });
  });
  afterAll(async () => sandbox?.stop());

  /** A token source whose first token is stale (as after a revocation) until a forced refresh. */
  const source = (staleUntilRefresh: boolean, alwaysStale = false) => {
    const calls: { forceRefresh: boolean }[] = [];
    const tokenSource: ITokenSource = {
      async getAccessToken(options = {}) {
        calls.push({ forceRefresh: options.forceRefresh === true });
        if (alwaysStale || (staleUntilRefresh && !options.forceRefresh)) return 'stale.token.value';
        return sandbox.mintAccessToken({
          user: ALEX,
          scope: `${sandbox.dataverse.orgUrl}/user_impersonation`,
        });
      },
    };
    return { tokenSource, calls };
  };
  const client = (tokenSource: ITokenSource) =>
    createAuthorizedHttpClient({
      displayName: 'Dynamics 365',
      tokenSource,
      baseURL: `${sandbox.dataverse.orgUrl}/api/data/v9.2/`,
      extraCa: sandbox.tls.caCert,
    });

  it('injects the bearer token per request', async () => {
    const { tokenSource, calls } = source(false);
    const response = await client(tokenSource).get('WhoAmI');
    expect(response.data).toMatchObject({ UserId: expect.any(String) });
    expect(calls).toEqual([{ forceRefresh: false }]);
  });

  it('answers a 401 with one silent refresh and one retry', async () => {
    const { tokenSource, calls } = source(true);
    sandbox.counters.reset();
    expect((await client(tokenSource).get('WhoAmI')).status).toBe(200);
    expect(calls.map((call) => call.forceRefresh)).toEqual([false, true]);
    expect(sandbox.counters.snapshot().byService.dataverse).toBe(2);
  });

  it('gives up after the retry with needs_reconnect (no loop)', async () => {
    const { tokenSource, calls } = source(true, true);
    await expect(client(tokenSource).get('WhoAmI')).rejects.toMatchObject({
      code: 'needs_reconnect',
    });
    expect(calls).toHaveLength(2);
  });

  it("lets the integration word its upstream's own error bodies first", async () => {
    const { tokenSource } = source(false);
    const seen: number[] = [];
    const worded = createAuthorizedHttpClient({
      displayName: 'Dynamics 365',
      tokenSource,
      baseURL: `${sandbox.dataverse.orgUrl}/api/data/v9.2/`,
      extraCa: sandbox.tls.caCert,
      mapError: (failure) => {
        seen.push(failure.status);
        return failure.status === 404
          ? workstationError('not_found', 'worded by the integration')
          : undefined;
      },
    });
    await expect(worded.get('nosuchtable')).rejects.toMatchObject({
      code: 'not_found',
      message: 'worded by the integration',
    });
    expect(seen).toEqual([404]);
  });

  it('keeps Retry-After on throttling and passes aborts through', async () => {
    const { tokenSource } = source(false);
    sandbox.faults.set('dataverse', { throttleRetryAfterSec: 2.5 });
    try {
      const error = await client(tokenSource)
        .get('WhoAmI')
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'throttled' });
      expect((error as { retryAt: number }).retryAt).toBeGreaterThanOrEqual(Date.now() + 2000);
    } finally {
      sandbox.faults.set('dataverse', { throttleRetryAfterSec: 0 });
    }
    const controller = new AbortController();
    sandbox.faults.set('dataverse', { latencyMs: 500 });
    try {
      const pending = client(tokenSource).get('WhoAmI', { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    } finally {
      sandbox.faults.set('dataverse', { latencyMs: 0 });
    }
  });

  it('reuses one kept-alive TLS connection, pooled under a key not built from the CAs', async () => {
    const { tokenSource } = source(false);
    const http = client(tokenSource);
    const ports = new Set<number | undefined>();
    for (let index = 0; index < 5; index += 1)
      ports.add(
        ((await http.get('WhoAmI')).request as { socket?: { localPort?: number } }).socket
          ?.localPort,
      );
    expect(ports.size).toBe(1);
    // Node pools a request under https.Agent#getName of its options merged with the agent's
    // (https://nodejs.org/api/http.html#agentgetnameoptions): given as `ca`, the system roots and the
    // extra CA would be joined into that key on every request, some 200 KB of PEM.
    const agent = http.defaults.httpsAgent as Agent;
    const key = agent.getName({ host: '127.0.0.1', port: 443, ...agent.options });
    expect(key).not.toContain('BEGIN CERTIFICATE');
    expect(key.length).toBeLessThan(200);
  });

  it('still refuses a server whose certificate no trusted CA signed', async () => {
    const { tokenSource } = source(false);
    const untrusted = createAuthorizedHttpClient({
      displayName: 'Dynamics 365',
      tokenSource,
      baseURL: `${sandbox.dataverse.orgUrl}/api/data/v9.2/`,
    });
    await expect(untrusted.get('WhoAmI')).rejects.toMatchObject({ code: 'upstream_unavailable' });
  });
});
