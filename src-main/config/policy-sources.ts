import type { ConfigSource } from './config-source';
import { readJsonSource } from './json-source';
import { readPlistSource } from './plist-source';
import type { PolicyReaderDeps } from './policy-reader-deps';
import { readRegistrySource } from './registry-source';

/** Where an admin deploys Workstation's policy, per OS (README, "Managed configuration"). */
export const policyLocations = {
  linux: '/etc/workstation/policy.json',
  /** What an MDM configuration profile for the app's bundle id installs. */
  macManagedPlist: '/Library/Managed Preferences/com.workstation.launcher.plist',
  /** For Macs managed without MDM (a package that drops a file). */
  macJson: '/Library/Application Support/Workstation/policy.json',
} as const;

/**
 * The organisation's policy sources on this OS, highest first; none when nothing is deployed.
 * On macOS a managed plist wins over the JSON file, field by field.
 */
export async function readPolicySources(
  platform: NodeJS.Platform,
  deps: PolicyReaderDeps,
): Promise<ConfigSource[]> {
  const found: (ConfigSource | undefined)[] =
    platform === 'win32'
      ? [await readRegistrySource(deps)]
      : platform === 'darwin'
        ? [
            await readPlistSource(policyLocations.macManagedPlist, deps),
            await readJsonSource(policyLocations.macJson, true, deps),
          ]
        : [await readJsonSource(policyLocations.linux, true, deps)];
  return found.filter((source): source is ConfigSource => source !== undefined);
}
