import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from './resolve-config';
import { parseRegQuery, readRegistrySource } from './registry-source';

// What `reg query HKLM\Software\Policies\Workstation /s` prints for a policy set by Group Policy
// (CRLF lines, four-space columns, REG_MULTI_SZ items joined by a literal \0).
const output = readFileSync(new URL('./test/reg-query-policy.txt', import.meta.url), 'utf8');
const env = { ProgramData: 'C:\\ProgramData', SystemRoot: 'C:\\WINDOWS' };

describe('the Windows policy in the registry', () => {
  it('turns keys and values into the policy document', () => {
    expect(parseRegQuery(output, env).document).toEqual({
      authority: 'https://login.microsoftonline.com/6f1c3a52-8e0b-4d7e-9a3f-2b5c8d1e4f70',
      clientId: '0c7a4f2e-5b19-4d83-a6e0-91f2c8b3d5a7',
      extraCaPath: 'C:\\ProgramData\\Contoso\\contoso-root-ca.pem',
      extraOrgOrigins: ['https://crm.contoso.example', 'https://crm2.contoso.example'],
      openAtLogin: 1,
      integrations: { salesforce: { clientId: '3MVG9-contoso', redirectPort: 18000 } },
      tokenStore: {
        scope: 'api://tokenstore/access_as_user',
        url: 'https://tokenstore.contoso.example',
      },
      updates: { feedUrl: 'https://updates.contoso.example/workstation' },
    });
  });

  it('names the registry value of an invalid setting', () => {
    const bad = output.replace('https://tokenstore.contoso.example', 'http://tokenstore.contoso');
    expect(() =>
      resolveConfig([parseRegQuery(bad, env)], { environment: 'production', dataDir: '/d' }),
    ).toThrow('HKLM\\Software\\Policies\\Workstation: TokenStore\\Url must be an https URL');
    const flag = output.replace('0x1', '0x2');
    expect(() =>
      resolveConfig([parseRegQuery(flag, env)], { environment: 'production', dataDir: '/d' }),
    ).toThrow('OpenAtLogin must be true or false (1 or 0 in the registry)');
  });

  it('runs reg.exe from the Windows folder, and finds no policy where the key is absent', async () => {
    const calls: { file: string; args: readonly string[] }[] = [];
    const none = await readRegistrySource({
      env,
      run: (file, args) => {
        calls.push({ file, args });
        return Promise.resolve({
          code: 1,
          stdout: '',
          stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n',
        });
      },
    });
    expect(none).toBeUndefined();
    expect(calls).toEqual([
      {
        file: 'C:\\WINDOWS\\System32\\reg.exe',
        args: ['query', 'HKLM\\Software\\Policies\\Workstation', '/s'],
      },
    ]);
    // The same failure on a German Windows: the exit code, not the text, says the key is absent.
    const german = await readRegistrySource({
      env,
      run: () =>
        Promise.resolve({
          code: 1,
          stdout: '',
          stderr: 'FEHLER: Der angegebene Registrierungsschlüssel bzw. Wert wurde nicht gefunden.',
        }),
    });
    expect(german).toBeUndefined();
    await expect(
      readRegistrySource({
        env,
        run: () => Promise.resolve({ code: -1, stdout: '', stderr: 'spawn reg.exe ENOENT' }),
      }),
    ).rejects.toThrow(
      'HKLM\\Software\\Policies\\Workstation could not be read: reg query could not run (-1): spawn reg.exe ENOENT',
    );
  });
});
