import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { KeytarSecretStore } from './keytar-secret-store';
import { RootSecretService } from './root-secret-service';
import { keychainServiceNames, MemorySecretStore } from './secret-store';

const logger = pino({ level: 'silent' });
const root = fileURLToPath(new URL('../../', import.meta.url));

/** A real attempt: the Secret Service answers or it does not. */
async function keychainReachable(): Promise<string | undefined> {
  try {
    await new KeytarSecretStore(keychainServiceNames.test).get(`probe-${randomUUID()}`);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const unreachable = await keychainReachable();
if (unreachable && process.env.CI !== 'true') {
  console.warn(
    `\n*** Keychain tests NOT RUN: ${unreachable}. Run them with: bash scripts/with-keyring.sh npx vitest run src-main/secrets ***\n`,
  );
}

describe.skipIf(unreachable !== undefined && process.env.CI !== 'true')(
  'root secret in the real OS keychain',
  () => {
    it('is reachable (under CI an unreachable keychain is a failure, not a skip)', () => {
      expect(unreachable).toBeUndefined();
    });

    it('stores, reads and deletes a secret through the keytar API', async () => {
      const store = new KeytarSecretStore(keychainServiceNames.test);
      const account = `test-${randomUUID()}`;
      await store.set(account, 'c2VjcmV0');
      expect(await store.get(account)).toBe('c2VjcmV0');
      expect(await store.delete(account)).toBe(true);
      expect(await store.get(account)).toBeUndefined();
    });

    it('creates a 256-bit root secret once and reads the same one back after a restart', async () => {
      const tenant = randomUUID();
      const user = randomUUID();
      const first = new RootSecretService(new KeytarSecretStore(keychainServiceNames.test), logger);
      expect(await first.probe()).toEqual({ state: 'available' });
      const secret = await first.rootSecretFor(tenant, user);
      expect(secret).toHaveLength(32);
      const restarted = new RootSecretService(
        new KeytarSecretStore(keychainServiceNames.test),
        logger,
      );
      expect((await restarted.rootSecretFor(tenant, user)).equals(secret)).toBe(true);
      expect((await restarted.rootSecretFor(tenant, randomUUID())).equals(secret)).toBe(false);
      await restarted.forget(tenant, user);
      expect(
        await new KeytarSecretStore(keychainServiceNames.test).get(`${tenant}:${user}`),
      ).toBeUndefined();
    });

    it('creates one secret when two first sign-ins of the same user race', async () => {
      const tenant = randomUUID();
      const user = randomUUID();
      const service = new RootSecretService(
        new KeytarSecretStore(keychainServiceNames.test),
        logger,
      );
      const [first, second] = await Promise.all([
        service.rootSecretFor(tenant, user),
        service.rootSecretFor(tenant, user),
      ]);
      expect(first).toHaveLength(32);
      expect(second.equals(first)).toBe(true);
      // What the keychain holds is what both callers seal under.
      expect(await new KeytarSecretStore(keychainServiceNames.test).get(`${tenant}:${user}`)).toBe(
        first.toString('base64'),
      );
      await service.forget(tenant, user);
    });

    it('replaces a damaged entry and says so in the log (account, never the value) and to the user', async () => {
      const tenant = randomUUID();
      const user = randomUUID();
      const keychain = new KeytarSecretStore(keychainServiceNames.test);
      const damaged = Buffer.from('sixteen-byte-key').toString('base64');
      await keychain.set(`${tenant}:${user}`, damaged);
      const lines: string[] = [];
      const service = new RootSecretService(
        keychain,
        pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }),
      );
      expect(service.keychain).toEqual({ state: 'available' });
      const secret = await service.rootSecretFor(tenant, user);
      expect(secret).toHaveLength(32);
      expect(await keychain.get(`${tenant}:${user}`)).toBe(secret.toString('base64'));
      const warnings = lines
        .map((line) => JSON.parse(line) as { level: number; account?: string; msg: string })
        .filter((entry) => entry.level === 40);
      expect(warnings).toEqual([
        expect.objectContaining({
          account: `${tenant}:${user}`,
          msg: expect.stringMatching(/damaged|not a 256-bit secret/),
        }),
      ]);
      expect(lines.join('')).not.toContain(damaged);
      expect(service.keychain).toEqual({
        state: 'available',
        notice:
          "Workstation's keychain entry was damaged and has been replaced; reconnect your integrations.",
      });
      await service.forget(tenant, user);
    });
  },
);

describe('without a keychain', () => {
  it('says so in plain words and runs memory-only, never writing the secret to a file', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ws-nokeychain-'));
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          join(root, 'node_modules/tsx/dist/cli.mjs'),
          join(root, 'src-main/secrets/test/keychain-unavailable-run.ts'),
        ],
        {
          cwd: root,
          env: {
            ...process.env,
            HOME: home,
            XDG_DATA_HOME: join(home, 'data'),
            XDG_CONFIG_HOME: join(home, 'config'),
            DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
          },
        },
      );
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
        state: { state: string; message: string };
        secretHex: string;
        secretBase64: string;
      };
      expect(result.state.state).toBe('unavailable');
      expect(result.state.message).toMatch(/keychain is not available.*cannot keep you signed in/);
      expect(result.secretHex).toHaveLength(64);
      const files: string[] = [];
      const walk = (dir: string) =>
        readdirSync(dir).forEach((name) =>
          statSync(join(dir, name)).isDirectory()
            ? walk(join(dir, name))
            : files.push(join(dir, name)),
        );
      walk(home);
      for (const file of files) {
        const content = readFileSync(file);
        expect(
          content.includes(result.secretHex) ||
            content.includes(result.secretBase64) ||
            content.includes(Buffer.from(result.secretHex, 'hex')),
        ).toBe(false);
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('falls back to memory when the keychain fails mid-run', async () => {
    const failing = {
      kind: 'keychain' as const,
      get: async () =>
        Promise.reject(
          Object.assign(new Error('x'), { name: 'WorkstationError', code: 'keychain_unavailable' }),
        ),
      set: async () => undefined,
      delete: async () => false,
    };
    const memory = new MemorySecretStore();
    const service = new RootSecretService(failing, logger, memory);
    const secret = await service.rootSecretFor('t', 'u');
    expect(service.keychain.state).toBe('unavailable');
    expect(await memory.get('t:u')).toBe(secret.toString('base64'));
  });
});
