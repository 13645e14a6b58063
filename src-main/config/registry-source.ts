import { win32 } from 'node:path';
import { unreadable, type ConfigSource } from './config-source';
import type { PolicyReaderDeps } from './policy-reader-deps';

/** Where Group Policy or an MDM writes Workstation's policy on Windows. */
export const policyRegistryKey = 'HKLM\\Software\\Policies\\Workstation';

// `reg query <key> /s` prints each key's full name on its own line, then one line per value,
// "    <name>    <type>    <data>"; REG_MULTI_SZ items are joined by a literal `\0`
// (https://learn.microsoft.com/windows-server/administration/windows-commands/reg-query).
const keyLine = /^HKEY_LOCAL_MACHINE\\software\\policies\\workstation(\\.*)?$/i;
const valueLine = /^ {4}(.*?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/;

/** `TokenStore` → `tokenStore`: registry names are PascalCase by convention, the document's camelCase. */
const camel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

function valueOf(type: string, data: string, env: NodeJS.ProcessEnv): unknown {
  switch (type) {
    case 'REG_DWORD':
    case 'REG_QWORD':
      return Number.parseInt(data, 16);
    case 'REG_MULTI_SZ':
      return data === '' ? [] : data.split('\\0');
    case 'REG_EXPAND_SZ':
      return data.replace(/%([^%]+)%/g, (whole, name: string) => env[name] ?? whole);
    default:
      return data;
  }
}

/**
 * The policy key's values and subkeys as a document: `TokenStore\Url` becomes `tokenStore.url`,
 * REG_DWORD a number (1 or 0 for switches), REG_MULTI_SZ a list. Errors name the registry value.
 */
export function parseRegQuery(stdout: string, env: NodeJS.ProcessEnv = {}): ConfigSource {
  const document: Record<string, unknown> = {};
  const names = new Map<string, string>();
  let at: string[] | undefined;
  let registryPath: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const key = keyLine.exec(line);
    if (key) {
      registryPath = (key[1] ?? '').split('\\').filter(Boolean);
      at = registryPath.map(camel);
      continue;
    }
    const value = valueLine.exec(line);
    if (!value || !at) continue;
    const [, name = '', type = '', data = ''] = value;
    if (name === '(Default)') continue;
    let node = document;
    for (const segment of at) node = (node[segment] ??= {}) as Record<string, unknown>;
    node[camel(name)] = valueOf(type, data, env);
    names.set([...at, camel(name)].join('.'), [...registryPath, name].join('\\'));
  }
  return {
    origin: policyRegistryKey,
    managed: true,
    document,
    fieldName: (path) => {
      for (let length = path.length; length > 0; length -= 1) {
        const name = names.get(path.slice(0, length).join('.'));
        if (name !== undefined) return [name, ...path.slice(length)].join('\\');
      }
      // A subkey itself (an unknown one, say): its path in PascalCase as written.
      return path.join('\\');
    },
  };
}

/** Reads the policy key with Windows' own `reg.exe`; undefined when the key does not exist. */
export async function readRegistrySource(
  deps: Pick<PolicyReaderDeps, 'run' | 'env'>,
): Promise<ConfigSource | undefined> {
  const reg = win32.join(deps.env.SystemRoot ?? 'C:\\Windows', 'System32', 'reg.exe');
  const { code, stdout, stderr } = await deps.run(reg, ['query', policyRegistryKey, '/s']);
  // reg.exe exits 1 when the query fails, in the system's language ("ERROR: The system was unable
  // to find...", "FEHLER: ..."), so the text cannot tell a missing key apart. Every user may read
  // HKLM\Software\Policies, so a failed query means no policy; only a reg.exe that could not run
  // (another code) is an error.
  if (code === 1) return undefined;
  if (code !== 0)
    throw unreadable(policyRegistryKey, `reg query could not run (${code}): ${stderr.trim()}`);
  return parseRegQuery(stdout, deps.env);
}
