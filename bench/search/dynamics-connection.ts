import pino from 'pino';
import { createAuthorizedHttpClient } from '../../src-main/auth/token-injector';
import { DynamicsApi } from '../../src-main/integrations/dynamics/dynamics-api';
import { DynamicsProvider } from '../../src-main/integrations/dynamics/dynamics-provider';
import { EventHub } from '../../src-main/ipc/event-hub';
import { SearchService } from '../../src-main/search/search-service';
import { sandboxAuth } from './federated-sources';
import type { BenchSandbox } from './remote-sandbox';

/**
 * The sandbox org's Web API for `user` (a UPN or oid), over an authorized client whose token is
 * signed by the sandbox and reused until a 401 asks for a new one (as MSAL's cache is).
 */
export function dynamicsApiFor(
  sandbox: BenchSandbox,
  user: string,
  orgUrl = sandbox.ready.orgUrl,
): DynamicsApi {
  const { caCert } = sandbox.ready;
  const auth = sandboxAuth(user, () =>
    sandbox.mintAccessToken({ user, scope: `${orgUrl}/user_impersonation` }),
  );
  return new DynamicsApi(
    createAuthorizedHttpClient({
      displayName: 'Dynamics 365',
      baseURL: orgUrl,
      extraCa: caCert,
      tokenSource: { getAccessToken: (options) => auth.getAccessToken(options) },
    }),
  );
}

/** One user's desktop app: its own engine (SearchService) over its own Dynamics provider. */
export interface Engine {
  readonly service: SearchService;
  readonly hub: EventHub;
}

export function engineFor(
  sandbox: BenchSandbox,
  user: string,
  orgUrl = sandbox.ready.orgUrl,
): Engine {
  const hub = new EventHub(pino({ level: 'silent' }));
  const provider = new DynamicsProvider(dynamicsApiFor(sandbox, user, orgUrl), orgUrl);
  const service = new SearchService(
    { providers: () => [provider], userKey: () => user },
    hub,
    pino({ level: 'silent' }),
  );
  return { service, hub };
}
