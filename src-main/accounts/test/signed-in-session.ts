import pino from 'pino';
import { TOKENSTORE_SCOPE, WORKSTATION_CLIENT_ID } from '../../../src-shared/demo-tenant';
import { completeConsent } from '../../../src-sandbox/test-support/consent-driver';
import type { IdentityConfig } from '../../auth/msal-client-config';
import { createMsalNetworkClient } from '../../auth/msal-network-client';
import { WorkstationSession } from '../../auth/workstation-session';
import { RootSecretService } from '../../secrets/root-secret-service';
import { MemorySecretStore } from '../../secrets/secret-store';
import type { DemoServices } from '../../secrets/test/demo-services';

const silent = pino({ level: 'silent' });

/**
 * The app's sign-in to Workstation as `user` on the demo services (MSAL against the sandbox's
 * Entra ID, the consent page played by the consent driver), with the identity it used: what the
 * connection tests build their ConnectionManager on.
 */
export async function signedInSession(
  demo: DemoServices,
  dataDir: string,
  user: string,
): Promise<{ identity: IdentityConfig; session: WorkstationSession }> {
  const ca = demo.sandbox.tls.caCert;
  const identity: IdentityConfig = {
    authority: demo.sandbox.entra.authority(),
    knownAuthorities: [demo.sandbox.entra.knownAuthority],
    protocolMode: 'OIDC',
    clientId: WORKSTATION_CLIENT_ID,
    network: createMsalNetworkClient({ extraCa: ca }),
  };
  const session = new WorkstationSession({
    identity,
    storeScope: TOKENSTORE_SCOPE,
    dataDir,
    rootSecrets: new RootSecretService(new MemorySecretStore(), silent),
    logger: silent,
    onChange: () => undefined,
  });
  await session.start();
  await session.signIn({ open: (url) => completeConsent(url, { user, ca }) });
  return { identity, session };
}
