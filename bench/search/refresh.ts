import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { DEMO_TENANT_ID, WORKSTATION_CLIENT_ID } from '../../src-shared/demo-tenant';
import { completeConsent } from '../../src-sandbox/test-support/consent-driver';
import { sampleUsers } from '../../src-sandbox/data/sample-users';
import { LiveConnection } from '../../src-main/accounts/live-connection';
import type { IBlobStore } from '../../src-main/auth/blob-store';
import { createMsalNetworkClient } from '../../src-main/auth/msal-network-client';
import { dynamicsDescriptor } from '../../src-main/integrations/dynamics/dynamics-descriptor';
import type { ConnectionEnvironment } from '../../src-main/integrations/integration-descriptor';
import { createEnvelope } from '../../src-main/secrets/envelope';
import type { BenchSandbox } from './remote-sandbox';
import { sleep } from './typing';

/** Concurrent requests through one connection once its access token has expired. */
export const CONCURRENT_REQUESTS = 10;
/**
 * MSAL renews an access token 300 s before it expires (msal-common's default
 * `tokenRenewalOffsetSeconds`,
 * https://github.com/AzureAD/microsoft-authentication-library-for-js/blob/dev/lib/msal-common/src/config/ClientConfiguration.ts):
 * a token issued for 301 s is expired to the client a second or two later (MSAL counts whole
 * seconds from the request and wants the offset strictly past expiry), while every request in
 * between is served from the cache.
 */
const LIFETIME_SEC = 301;
/** Past the second or two above, whatever the clock's fraction at issue. */
const EXPIRY_WAIT_MS = 2500;

/** The encrypted MSAL cache in memory: what a token store row would hold. */
class MemoryBlobStore implements IBlobStore {
  #blob: string | undefined;
  async read() {
    return this.#blob;
  }
  async write(blob: string) {
    this.#blob = blob;
  }
  async remove() {
    this.#blob = undefined;
  }
}

export interface RefreshFigures {
  readonly concurrentRequests: number;
  /** Token-endpoint calls the sandbox's Entra ID counted while the requests ran: 1 is single-flight. */
  readonly idpCallsPerConcurrentExpiry: number;
  /** Requests whose health probe (WhoAmI) came back `ok`. */
  readonly answeredOk: number;
}

/**
 * A Dynamics 365 connection as the app builds it (the descriptor's EntraAuth, real MSAL Node, an
 * encrypted cache, the consent page played without a browser) signs in, waits until its access
 * token has expired, then sends `CONCURRENT_REQUESTS` requests at once (the provider's WhoAmI
 * health probe). Counts the identity provider's token-endpoint calls for them.
 */
export async function runRefresh(sandbox: BenchSandbox, user: string): Promise<RefreshFigures> {
  const { authority, knownAuthority, caCert, orgUrl } = sandbox.ready;
  const environment: ConnectionEnvironment = {
    identity: {
      authority,
      knownAuthorities: [knownAuthority],
      protocolMode: 'OIDC',
      clientId: WORKSTATION_CLIENT_ID,
      network: createMsalNetworkClient({ extraCa: caCert }),
    },
    graphBaseUrl: '',
    integrationSettings: {},
    extraCa: caCert,
  };
  const target = { connectionId: 'sandbox', label: 'sandbox', origin: orgUrl };
  const auth = dynamicsDescriptor.createAuth({
    target,
    displayName: 'Dynamics 365 · sandbox',
    store: new MemoryBlobStore(),
    envelope: createEnvelope(randomBytes(32)),
    envelopeContext: {
      tenantId: DEMO_TENANT_ID,
      userId: sampleUsers.find((person) => person.upn === user)?.oid ?? '',
      integration: 'dynamics',
      deviceId: 'bench',
    },
    environment,
    settings: {},
    logger: pino({ level: 'silent' }),
    onChange: () => undefined,
  });
  await sandbox.setFaults('entra', { accessTokenLifetimeSec: LIFETIME_SEC });
  try {
    await auth.connect({ open: (url) => completeConsent(url, { user, ca: caCert }) });
    const provider = await new LiveConnection(
      dynamicsDescriptor,
      target,
      auth,
      environment,
    ).search();
    if (!provider) throw new Error('Dynamics 365 offers no search');
    // One request with the fresh token opens the connection and shows the cache serves it.
    await provider.health({ signal: new AbortController().signal });
    await sleep(EXPIRY_WAIT_MS);
    await sandbox.resetCounters();
    const answers = await Promise.all(
      Array.from({ length: CONCURRENT_REQUESTS }, () =>
        provider.health({ signal: new AbortController().signal }),
      ),
    );
    const counts = await sandbox.counters();
    return {
      concurrentRequests: CONCURRENT_REQUESTS,
      idpCallsPerConcurrentExpiry: counts.byPath[`entra /${DEMO_TENANT_ID}/oauth2/v2.0/token`] ?? 0,
      answeredOk: answers.filter((answer) => answer.state === 'ok').length,
    };
  } finally {
    await sandbox.setFaults('entra', { accessTokenLifetimeSec: 0 });
  }
}
