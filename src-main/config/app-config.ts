import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { workstationError } from '../../src-shared/errors';
import { integrationCatalog } from '../../src-shared/integrations/catalog';

/** Everything main needs to know about where it runs; every field has a default. */
export const appConfigSchema = z.object({
  /** `development` keeps its data and keychain entries apart from a real install. */
  environment: z.enum(['development', 'production', 'test']).default('development'),
  /** Where settings (and later the encrypted local caches) live. */
  dataDir: z.string().min(1),
  /** `demo` runs on the embedded sandbox tenant; `tenant` on a configured Microsoft tenant. */
  mode: z.enum(['demo', 'tenant']).default('demo'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Where a packaged app looks for updates (an electron-updater "generic" feed: the folder holding
   * latest.yml and the installers; src-main/shell/auto-updater.ts). Absent = no update checks.
   */
  updateFeedUrl: z
    .string()
    .url()
    .startsWith('https://', 'The update feed must use https.')
    .optional(),
  /** Entra ID and the token store; absent = integrations are not configured (search runs on placeholders). */
  identity: z
    .object({
      authority: z.string().url().startsWith('https://', 'Entra ID authorities must use https.'),
      knownAuthorities: z.array(z.string()).default([]),
      protocolMode: z.enum(['AAD', 'OIDC']).default('AAD'),
      clientId: z.string().uuid(),
      tokenStoreUrl: z.string().url().startsWith('https://', 'The token store must use https.'),
      tokenStoreScope: z.string().min(1),
      /** Microsoft Graph's base URL (the sandbox stands in for it in the demo). */
      graphBaseUrl: z.string().url().default('https://graph.microsoft.com/v1.0'),
      /** PEM file of an extra CA to trust (the demo's local CA); system roots are always trusted. */
      extraCaPath: z.string().optional(),
      /**
       * Dynamics org origins accepted from the token store besides `<org>.crm<N>.dynamics.com` (the
       * demo's sandbox org). Anything else the store sends is refused, not used.
       */
      extraOrgOrigins: z
        .array(z.string().url().startsWith('https://', 'Extra org origins must use https.'))
        .default([]),
      /**
       * Each integration's own settings (a Salesforce connected app's consumer key, say), as text
       * by integration id; the integration's descriptor reads and checks its part. From the
       * environment: `WORKSTATION_<ID>_<NAME>` gives `<id>.<name in camelCase>`.
       */
      integrations: z.record(z.string(), z.record(z.string(), z.string().max(2000))).default({}),
    })
    .optional(),
});
export type AppConfig = z.infer<typeof appConfigSchema>;

/** The data directory used when none is configured (`Workstation Dev` for development builds). */
export function defaultDataDir(environment: AppConfig['environment']): string {
  const name = environment === 'production' ? 'Workstation' : 'Workstation Dev';
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), name);
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), name);
}

/**
 * `WORKSTATION_<ID>_<NAME>=value` for each integration Workstation offers becomes
 * `{ <id>: { <nameInCamelCase>: value } }`: no layer here knows what an integration needs.
 */
export function integrationSettingsFromEnv(
  env: NodeJS.ProcessEnv,
): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const { id } of integrationCatalog) {
    const prefix = `WORKSTATION_${id.toUpperCase().replace(/-/g, '_')}_`;
    for (const [name, value] of Object.entries(env)) {
      if (!name.startsWith(prefix) || value === undefined || name.length === prefix.length)
        continue;
      const key = name
        .slice(prefix.length)
        .toLowerCase()
        .replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
      (out[id] ??= {})[key] = value;
    }
  }
  return out;
}

/** Reads the configuration from environment variables, refusing invalid values with a clear message. */
export function loadAppConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<AppConfig> = {},
): AppConfig {
  const environment = (overrides.environment ??
    env.WORKSTATION_ENV ??
    'development') as AppConfig['environment'];
  const parsed = appConfigSchema.safeParse({
    environment,
    dataDir: overrides.dataDir ?? env.WORKSTATION_DATA_DIR ?? defaultDataDir(environment),
    mode: overrides.mode ?? env.WORKSTATION_MODE,
    logLevel: overrides.logLevel ?? env.WORKSTATION_LOG_LEVEL,
    updateFeedUrl: overrides.updateFeedUrl ?? env.WORKSTATION_UPDATE_FEED_URL,
    identity:
      overrides.identity ??
      (env.WORKSTATION_AUTHORITY
        ? {
            authority: env.WORKSTATION_AUTHORITY,
            knownAuthorities: env.WORKSTATION_KNOWN_AUTHORITIES?.split(',').filter(Boolean) ?? [],
            protocolMode: env.WORKSTATION_PROTOCOL_MODE,
            clientId: env.WORKSTATION_CLIENT_ID,
            tokenStoreUrl: env.WORKSTATION_TOKENSTORE_URL,
            tokenStoreScope: env.WORKSTATION_TOKENSTORE_SCOPE,
            graphBaseUrl: env.WORKSTATION_GRAPH_URL,
            extraCaPath: env.WORKSTATION_EXTRA_CA,
            extraOrgOrigins: env.WORKSTATION_EXTRA_ORG_ORIGINS?.split(',').filter(Boolean),
            integrations: integrationSettingsFromEnv(env),
          }
        : undefined),
  });
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw workstationError(
      'invalid_input',
      `Workstation's configuration is not valid (${detail}).`,
    );
  }
  return parsed.data;
}
