import { join } from 'node:path';
import { defaultDataDir, type AppConfig } from './app-config';
import type { ConfigSource } from './config-source';
import { envSource } from './env-source';
import { readJsonSource } from './json-source';
import type { PolicyReaderDeps } from './policy-reader-deps';
import { readPolicySources } from './policy-sources';
import { resolveConfig, type ResolvedConfig } from './resolve-config';

/** What the host fixes before any source is read. */
export interface ConfigOverrides {
  readonly environment?: AppConfig['environment'];
  readonly dataDir?: string;
  readonly mode?: AppConfig['mode'];
  readonly logLevel?: AppConfig['logLevel'];
}

/** The user's own configuration file, in the data folder (README, "Managed configuration"). */
export const userConfigFileName = 'config.json';

function baseOf(env: NodeJS.ProcessEnv, overrides: ConfigOverrides) {
  const environment = (overrides.environment ??
    env.WORKSTATION_ENV ??
    'development') as AppConfig['environment'];
  return {
    environment,
    dataDir: overrides.dataDir ?? env.WORKSTATION_DATA_DIR ?? defaultDataDir(environment),
    mode: overrides.mode ?? (env.WORKSTATION_MODE as AppConfig['mode'] | undefined),
  };
}

function withOverrides(resolved: ResolvedConfig, overrides: ConfigOverrides): ResolvedConfig {
  return overrides.logLevel
    ? { ...resolved, config: { ...resolved.config, logLevel: overrides.logLevel } }
    : resolved;
}

/**
 * The configuration from `WORKSTATION_*` environment variables only: development and the web host
 * (`npm run web`), which never read an installed policy.
 */
export function loadAppConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: ConfigOverrides = {},
): AppConfig {
  return withOverrides(resolveConfig([envSource(env)], baseOf(env, overrides)), overrides).config;
}

/**
 * The desktop app's configuration: the organisation's policy (per OS, policy-sources.ts), then the
 * user's `config.json` in the data folder, then the environment, merged field by field with the
 * policy winning. Throws a WorkstationError naming the source and the field of any invalid value.
 */
export async function loadManagedConfig(
  env: NodeJS.ProcessEnv,
  overrides: ConfigOverrides,
  deps: PolicyReaderDeps & { readonly platform: NodeJS.Platform },
): Promise<ResolvedConfig> {
  const base = baseOf(env, overrides);
  const user = await readJsonSource(join(base.dataDir, userConfigFileName), false, deps);
  const sources: ConfigSource[] = [
    ...(await readPolicySources(deps.platform, deps)),
    ...(user ? [user] : []),
    envSource(env),
  ];
  return withOverrides(resolveConfig(sources, base), overrides);
}
