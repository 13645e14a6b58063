import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src-sandbox/start-sandbox';
import { directorySettingsSchema } from '../../src-shared/tokenstore/directory-api';
import { createUpstreamSend } from '../auth/https-fetch';
import type { ClientCredentials } from './client-credentials';
import { DataverseReader } from './dataverse-reader';
import { SyncFailure } from './sync-failure';

/**
 * The reader's answers to a wrong org URL and a slow org, below the token request (which, with a
 * wrong org, already fails at Entra ID: directory-sync.test.ts). The token is a fixed string: these
 * requests never get as far as a service that reads it.
 */
describe('Dataverse reader against hosts that are not a Web API', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => sandbox?.stop());

  const readerFor = (orgUrl: string, timeoutMs = 10_000) => {
    const settings = directorySettingsSchema([orgUrl]).parse({
      enabled: true,
      orgUrl,
      tenantId: sandbox.directory.tenantId,
      clientId: sandbox.directory.clientId,
      credential: { kind: 'secret', secret: { from: 'env', name: 'TOKENSTORE_DIRECTORY_X' } },
    });
    const tokens = { token: async () => 'not-a-token' } as unknown as ClientCredentials;
    return new DataverseReader(settings, {
      send: createUpstreamSend(sandbox.tls.caCert),
      tokens,
      sleep: async () => undefined,
      now: Date.now,
      limits: { maxThrottleWaits: 1, maxRetryAfterMs: 1000, timeoutMs },
    });
  };
  const failureOf = async (promise: Promise<unknown>): Promise<SyncFailure> => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SyncFailure);
    return error as SyncFailure;
  };

  it('names a host that does not resolve as a wrong org URL', async () => {
    const reader = readerFor('https://nowhere.invalid');
    const failure = await failureOf(reader.page(reader.url('systemusers')));
    expect(failure.code).toBe('org_not_found');
    expect(failure.upstreamCode).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
  });

  it('names a server without the Web API (404) as a wrong org URL', async () => {
    const reader = readerFor(sandbox.entra.origin);
    const failure = await failureOf(reader.page(reader.url('systemusers')));
    expect(failure.code).toBe('org_not_found');
  });

  it('gives up on a request without an answer in time, as a timeout the next run resumes from', async () => {
    sandbox.faults.set('dataverse', { latencyMs: 3000 });
    try {
      const reader = readerFor(sandbox.dataverse.orgUrl, 300);
      const failure = await failureOf(reader.page(reader.url('systemusers')));
      expect(failure.code).toBe('timeout');
      expect(failure.message).toContain('resumes');
    } finally {
      sandbox.faults.reset();
    }
  });

  it('does not send the token to a paging link on another host', async () => {
    const reader = readerFor(sandbox.dataverse.orgUrl);
    const failure = await failureOf(
      reader.page(`${sandbox.entra.origin}/api/data/v9.2/systemusers`),
    );
    expect(failure.message).toContain('another host');
  });
});
