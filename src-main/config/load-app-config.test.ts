import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadManagedConfig } from './load-app-config';
import type { PolicyReaderDeps, RunResult } from './policy-reader-deps';

const authority = 'https://login.microsoftonline.com/6f1c3a52-8e0b-4d7e-9a3f-2b5c8d1e4f70';
const clientId = '0c7a4f2e-5b19-4d83-a6e0-91f2c8b3d5a7';
const dataDir = '/home/alex/.config/Workstation';
const userFile = `${dataDir}/config.json`;
const linuxPolicy = '/etc/workstation/policy.json';
const macPlist = '/Library/Managed Preferences/com.workstation.launcher.plist';
const macJson = '/Library/Application Support/Workstation/policy.json';

/** An OS with these files; `programs` answers a program by its path. */
function os(
  files: Record<string, string>,
  programs: Record<string, (args: readonly string[]) => RunResult> = {},
) {
  const runs: { file: string; args: readonly string[] }[] = [];
  const deps: PolicyReaderDeps = {
    readText: (path) => Promise.resolve(files[path]),
    exists: (path) => Promise.resolve(path in files),
    run: (file, args) => {
      runs.push({ file, args });
      const program = programs[file];
      return Promise.resolve(program ? program(args) : { code: -1, stdout: '', stderr: 'ENOENT' });
    },
    env: { SystemRoot: 'C:\\WINDOWS', ProgramData: 'C:\\ProgramData' },
  };
  return { deps, runs };
}

const load = (
  platform: NodeJS.Platform,
  files: Record<string, string>,
  env: NodeJS.ProcessEnv = {},
  programs?: Record<string, (args: readonly string[]) => RunResult>,
) =>
  loadManagedConfig(
    env,
    { environment: 'production', dataDir },
    { ...os(files, programs).deps, platform },
  );

const json = (value: unknown) => JSON.stringify(value);

describe('the managed configuration', () => {
  it('takes each field from the policy first, then the user file, then the environment', async () => {
    const { config, warnings } = await load(
      'linux',
      {
        [linuxPolicy]: json({
          tokenStore: { url: 'https://tokenstore.contoso.example' },
          openAtLogin: true,
          integrations: { salesforce: { clientId: '3MVG9-policy' } },
        }),
        [userFile]: json({
          clientId,
          tokenStore: { url: 'https://tokenstore.user.example' },
          openAtLogin: false,
          logLevel: 'debug',
        }),
      },
      {
        WORKSTATION_AUTHORITY: authority,
        WORKSTATION_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
        WORKSTATION_TOKENSTORE_URL: 'https://tokenstore.env.example',
        WORKSTATION_TOKENSTORE_SCOPE: 'api://tokenstore/access_as_user',
        WORKSTATION_SALESFORCE_CLIENT_ID: '3MVG9-env',
        WORKSTATION_SALESFORCE_REDIRECT_PORT: '18000',
      },
    );
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      mode: 'tenant',
      logLevel: 'debug',
      openAtLogin: true,
      identity: {
        authority,
        clientId,
        tokenStoreUrl: 'https://tokenstore.contoso.example',
        tokenStoreScope: 'api://tokenstore/access_as_user',
        integrations: { salesforce: { clientId: '3MVG9-policy', redirectPort: '18000' } },
      },
    });
    expect([...config.managed].sort()).toEqual([
      'integrations.salesforce.clientId',
      'openAtLogin',
      'tokenStore.url',
    ]);
  });

  it('names the file and the field of every invalid value, all at once', async () => {
    const attempt = load('linux', {
      [linuxPolicy]: json({ authority, tokenStore: { url: 'http://tokenstore.contoso.example' } }),
      [userFile]: json({ clientId: 'not-a-guid', extraCaPath: 'certs/ca.pem' }),
    });
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_input' });
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain('/etc/workstation/policy.json: tokenStore.url must be an https URL');
    expect(message).toContain(
      `${userFile}: clientId must be the Workstation app's Application (client) ID, a GUID`,
    );
    expect(message).toContain(`${userFile}: extraCaPath must be the absolute path of a PEM file`);
  });

  it('refuses a policy file that is not JSON, naming it', async () => {
    await expect(load('linux', { [linuxPolicy]: '{"authority": ' })).rejects.toThrow(
      '/etc/workstation/policy.json could not be read: it is not JSON',
    );
    await expect(load('linux', { [linuxPolicy]: '["a list"]' })).rejects.toThrow(
      '/etc/workstation/policy.json must hold one object of settings',
    );
  });

  it('ignores a field this version does not know, with a warning for the log', async () => {
    const { config, warnings } = await load('linux', {
      [linuxPolicy]: json({ logLevel: 'warn', tokenStore: { region: 'eu' }, futureSetting: 1 }),
    });
    expect(config.logLevel).toBe('warn');
    expect(warnings).toEqual([
      '/etc/workstation/policy.json: tokenStore.region is not a Workstation setting; it is ignored',
      '/etc/workstation/policy.json: futureSetting is not a Workstation setting; it is ignored',
    ]);
  });

  it('says which tenant settings are missing and where it looked', async () => {
    await expect(
      load('linux', { [linuxPolicy]: json({ authority, clientId }) }, {}),
    ).rejects.toThrow(
      `the tenant settings are incomplete: tokenStore.url, tokenStore.scope are missing (read from ${linuxPolicy}, the environment)`,
    );
  });

  it('runs on the environment alone when nothing is deployed (development)', async () => {
    const { config } = await load('linux', {}, { WORKSTATION_LOG_LEVEL: 'trace' });
    expect(config).toMatchObject({
      identity: undefined,
      mode: 'demo',
      logLevel: 'trace',
      managed: [],
    });
  });

  it('reads a managed plist on macOS through plutil, over the JSON policy file', async () => {
    const { deps, runs } = os(
      {
        [macPlist]: 'bplist00…',
        [macJson]: json({ authority, clientId, updates: { feedUrl: 'https://json.example/feed' } }),
      },
      {
        '/usr/bin/plutil': () => ({
          code: 0,
          stdout: json({
            tokenStore: { url: 'https://tokenstore.contoso.example', scope: 'api://ts/.default' },
            updates: { feedUrl: 'https://updates.contoso.example/feed' },
          }),
          stderr: '',
        }),
      },
    );
    const { config } = await loadManagedConfig(
      {},
      { environment: 'production', dataDir },
      { ...deps, platform: 'darwin' },
    );
    expect(runs).toEqual([
      { file: '/usr/bin/plutil', args: ['-convert', 'json', '-o', '-', macPlist] },
    ]);
    expect(config.updates.feedUrl).toBe('https://updates.contoso.example/feed');
    expect(config.identity).toMatchObject({
      authority,
      tokenStoreUrl: 'https://tokenstore.contoso.example',
    });
  });

  it('names the plist when plutil cannot read it', async () => {
    await expect(
      load(
        'darwin',
        { [macPlist]: 'garbage' },
        {},
        {
          '/usr/bin/plutil': () => ({
            code: 1,
            stdout: '',
            stderr: `${macPlist}: Property List error: Unexpected character g at line 1\n`,
          }),
        },
      ),
    ).rejects.toThrow(`${macPlist} could not be read: plutil answered 1`);
  });

  it('reads the registry policy on Windows', async () => {
    const output = readFileSync(new URL('./test/reg-query-policy.txt', import.meta.url), 'utf8');
    const { config } = await load(
      'win32',
      {},
      { WORKSTATION_CLIENT_ID: clientId },
      {
        'C:\\WINDOWS\\System32\\reg.exe': () => ({ code: 0, stdout: output, stderr: '' }),
      },
    );
    expect(config).toMatchObject({
      openAtLogin: true,
      updates: { feedUrl: 'https://updates.contoso.example/workstation' },
      identity: {
        tokenStoreUrl: 'https://tokenstore.contoso.example',
        integrations: { salesforce: { clientId: '3MVG9-contoso', redirectPort: '18000' } },
      },
    });
  });
});
