import { posix, win32 } from 'node:path';
import { z } from 'zod';

/**
 * What one configuration source says: the admin's policy (a file or the Windows registry), the
 * user's config file in the data folder, or the `WORKSTATION_*` environment. Every field is
 * optional: the sources are merged field by field, the policy winning (resolve-config.ts). Each
 * field's message completes the sentence "<field> ..." so an error reads
 * "/etc/workstation/policy.json: tokenStore.url must be an https URL".
 */
function documentShape(object: typeof z.object | typeof z.strictObject) {
  const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https URL' });
  const text = (what: string) => z.string({ error: `must be ${what}` }).min(1, `must be ${what}`);
  // Windows policies store switches as REG_DWORD 1 or 0; JSON and plists have true and false.
  const flag = z
    .union([z.boolean(), z.literal(0), z.literal(1)], {
      error: 'must be true or false (1 or 0 in the registry)',
    })
    .transform((value) => value === true || value === 1);
  const list = (item: z.ZodType<string>, what: string) =>
    z.array(item, { error: `must be a list of ${what}` });
  return object({
    /** The Entra ID authority, `https://login.microsoftonline.com/<tenant id>`. */
    authority: httpsUrl,
    knownAuthorities: list(text('a host name'), 'host names'),
    protocolMode: z.enum(['AAD', 'OIDC'], { error: 'must be AAD or OIDC' }),
    clientId: z.uuid({ error: "must be the Workstation app's Application (client) ID, a GUID" }),
    tokenStore: object({
      url: httpsUrl,
      scope: text('a scope like api://<token store client id>/access_as_user'),
    }).partial(),
    graphBaseUrl: httpsUrl,
    /** A PEM file of a private CA to trust besides the system's roots. */
    extraCaPath: z
      .string({ error: 'must be the absolute path of a PEM file' })
      .refine(
        (path) => posix.isAbsolute(path) || win32.isAbsolute(path),
        'must be the absolute path of a PEM file',
      ),
    extraOrgOrigins: list(httpsUrl, 'https origins'),
    /** Each integration's own settings by integration id (`salesforce.clientId`, say). */
    integrations: z.record(
      z.string(),
      z.record(
        z.string(),
        z
          .union([z.string().max(2000), z.number()], { error: 'must be text' })
          .transform((value) => String(value)),
      ),
      { error: 'must map each integration to its settings' },
    ),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    }),
    /** Start Workstation when the user signs in to the computer; from the policy, users cannot change it. */
    openAtLogin: flag,
    /** Where the auto-updater looks for new versions (an organisation's own mirror, say). */
    updates: object({ feedUrl: httpsUrl }).partial(),
  }).partial();
}

/** A source's document with every field checked; unknown fields are refused. */
export const strictConfigDocumentSchema = documentShape(z.strictObject);
/** The same document with unknown fields left out (a policy written for a newer Workstation). */
export const configDocumentSchema = documentShape(z.object);
export type ConfigDocument = z.output<typeof configDocumentSchema>;
