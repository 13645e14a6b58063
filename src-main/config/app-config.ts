import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/** Everything main needs to know about where it runs; every field has a default. */
export const appConfigSchema = z.object({
  /** `development` keeps its data and keychain entries apart from a real install. */
  environment: z.enum(['development', 'production', 'test']).default('development'),
  /** Where settings (and later the encrypted local caches) live. */
  dataDir: z.string().min(1),
  /** `demo` runs on the embedded sandbox tenant; `tenant` on a configured Microsoft tenant. */
  mode: z.enum(['demo', 'tenant']).default('demo'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
  /** Start at login: set by the policy it is the organisation's decision, else the user's. */
  openAtLogin: z.boolean().optional(),
  /**
   * Where a packaged app looks for updates (an electron-updater "generic" feed: the folder holding
   * latest.yml and the installers; src-main/shell/auto-updater.ts). Absent = no update checks.
   */
  updates: z.object({ feedUrl: z.url({ protocol: /^https$/ }).optional() }).default({}),
  /**
   * The dotted paths of the fields the organisation's policy set (`tokenStore.url`,
   * `openAtLogin`): Settings shows them as managed and does not offer to change them.
   */
  managed: z.array(z.string()).default([]),
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
