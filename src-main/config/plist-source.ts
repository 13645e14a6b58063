import { unreadable, type ConfigSource } from './config-source';
import type { PolicyReaderDeps } from './policy-reader-deps';

/** macOS's property list tool; it reads both XML and binary plists (man plutil). */
export const plutilPath = '/usr/bin/plutil';

/**
 * A managed preferences plist (what an MDM configuration profile installs in
 * `/Library/Managed Preferences`) as a policy source, converted to JSON by `plutil`, so binary
 * plists are read as well as XML ones. Undefined when the file does not exist.
 */
export async function readPlistSource(
  path: string,
  deps: Pick<PolicyReaderDeps, 'exists' | 'run'>,
): Promise<ConfigSource | undefined> {
  if (!(await deps.exists(path))) return undefined;
  const { code, stdout, stderr } = await deps.run(plutilPath, [
    '-convert',
    'json',
    '-o',
    '-',
    path,
  ]);
  if (code !== 0) throw unreadable(path, `plutil answered ${code}: ${stderr.trim()}`);
  try {
    return { origin: path, managed: true, document: JSON.parse(stdout) as unknown };
  } catch {
    throw unreadable(path, 'plutil did not answer JSON');
  }
}
