import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../secrets/keytar-secret-store';
import { RootSecretService } from '../secrets/root-secret-service';
import { keychainServiceNames } from '../secrets/secret-store';
import { createMsalNetworkClient } from '../auth/msal-network-client';
import { WorkstationSession } from '../auth/workstation-session';
import { SessionService } from './session-service';

const logger = pino({ level: 'silent' });

/** A real attempt: the Secret Service answers or it does not (run under scripts/with-keyring.sh). */
async function keychainReachable(): Promise<string | undefined> {
  try {
    await new KeytarSecretStore(keychainServiceNames.test).get(`probe-${randomUUID()}`);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
const unreachable = await keychainReachable();

describe.skipIf(unreachable !== undefined && process.env.CI !== 'true')(
  'the session summary the renderer shows',
  () => {
    it('tells the user when a damaged keychain entry was replaced at start', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'ws-session-service-'));
      const tenantId = randomUUID();
      const oid = randomUUID();
      const keychain = new KeytarSecretStore(keychainServiceNames.test);
      try {
        // The user signed in before; since then their keychain entry was overwritten with something else.
        writeFileSync(
          join(dataDir, 'account.json'),
          JSON.stringify({ tenantId, oid, username: 'alex@example.com' }),
        );
        await keychain.set(
          `${tenantId}:${oid}`,
          Buffer.from('not a root secret').toString('base64'),
        );
        const rootSecrets = new RootSecretService(keychain, logger);
        // Never contacted: restarting with a remembered account reads only local state.
        const identity = {
          authority: `https://login.microsoftonline.com/${tenantId}`,
          knownAuthorities: [],
          protocolMode: 'AAD' as const,
          clientId: randomUUID(),
          network: createMsalNetworkClient({}),
        };
        const session = new WorkstationSession({
          identity,
          storeScope: 'api://tokenstore/access_as_user',
          dataDir,
          rootSecrets,
          logger,
          onChange: () => undefined,
        });
        const service = new SessionService({
          mode: 'tenant',
          session,
          rootSecrets,
          browser: { open: async () => undefined },
          onChange: () => undefined,
          onSignOut: () => undefined,
        });
        expect(service.summary().notice).toBeUndefined();
        await service.start();
        expect(service.summary()).toMatchObject({
          keychain: 'available',
          notice:
            "Workstation's keychain entry was damaged and has been replaced; reconnect your integrations.",
        });
      } finally {
        await keychain.delete(`${tenantId}:${oid}`);
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  },
);
