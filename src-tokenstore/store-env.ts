import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  TOKENSTORE_APP_ID,
  TOKENSTORE_SCOPE_NAME,
  WORKSTATION_CLIENT_ID,
} from '../src-shared/demo-tenant';

const list = z
  .string()
  .optional()
  .transform((value) =>
    value
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : undefined,
  );

// Only named proxies: `true` would believe an X-Forwarded-For any client writes, and Fastify trusts
// no peer for a bare hop count (https://fastify.dev/docs/latest/Reference/Server/#trustproxy).
const trustProxy = list
  .transform((proxies) => (proxies?.join() === 'false' ? undefined : proxies))
  .superRefine((proxies, context) => {
    if (proxies?.some((proxy) => proxy === 'true' || /^\d+$/.test(proxy))) {
      context.addIssue({
        code: 'custom',
        message:
          'name the proxies by address or CIDR (or loopback, linklocal, uniquelocal), not true or a hop count',
      });
    }
  });

const workersMessage = 'a whole number of processes from 1 to 64, or auto';
// `auto`: one per core this process may use (https://nodejs.org/api/os.html#osavailableparallelism).
const workers = z
  .string()
  .regex(/^(auto|[1-9]\d*)$/, workersMessage)
  .transform((value) => (value === 'auto' ? Math.min(availableParallelism(), 64) : Number(value)))
  .refine((count) => count <= 64, workersMessage)
  .default(1);

/** `npm run tokenstore`'s environment (each variable is described in cli.ts). */
export const storeEnvSchema = z
  .object({
    DATABASE_URL: z.string().startsWith('postgres').optional(),
    TOKENSTORE_SQLITE_PATH: z.string().optional(),
    TOKENSTORE_HOST: z.string().default('127.0.0.1'),
    TOKENSTORE_PORT: z.coerce.number().int().min(0).max(65535).default(0),
    TOKENSTORE_TLS_CERT: z.string().optional(),
    TOKENSTORE_TLS_KEY: z.string().optional(),
    TOKENSTORE_ISSUER_TEMPLATE: z
      .string()
      .url()
      .includes('{tenantid}', { message: 'must contain {tenantid}' }),
    TOKENSTORE_JWKS_URI: z.string().url(),
    TOKENSTORE_AUDIENCE: z.string().default(TOKENSTORE_APP_ID),
    TOKENSTORE_ALLOWED_TENANTS: list,
    TOKENSTORE_ALLOWED_CLIENTS: list.transform((clients) => clients ?? [WORKSTATION_CLIENT_ID]),
    TOKENSTORE_EXTRA_ORIGINS: list,
    /** The first name of TOKENSTORE_EXTRA_ORIGINS, when only Dynamics took an org URL; still read. */
    TOKENSTORE_EXTRA_ORG_ORIGINS: list,
    TOKENSTORE_REQUESTS_PER_MINUTE: z.coerce.number().int().positive().default(600),
    TOKENSTORE_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().positive().default(20),
    TOKENSTORE_TRUST_PROXY: trustProxy,
    /** Processes serving the store (node:cluster); 1 (default) runs it in this one. */
    TOKENSTORE_WORKERS: workers,
    /** Directory sync: the folder its settings' file references name files in. */
    TOKENSTORE_DIRECTORY_SECRETS_DIR: z.string().optional(),
    /** Directory sync: a PEM file of an extra CA to trust for Entra ID and Dataverse. */
    TOKENSTORE_DIRECTORY_CA_FILE: z.string().optional(),
    /** Directory sync: seconds between looks for due runs and queued user syncs (0 = never). */
    TOKENSTORE_DIRECTORY_TICK_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    TOKENSTORE_ADMIN_CONSOLE_CLIENT_ID: z
      .string()
      .regex(/^[0-9a-fA-F-]{36}$/, 'an application (client) id')
      .optional(),
    TOKENSTORE_ADMIN_CONSOLE_AUTHORITY: z.string().url().startsWith('https://').optional(),
    TOKENSTORE_ADMIN_CONSOLE_SCOPE: z.string().optional(),
    TOKENSTORE_PUBLIC_URL: z
      .string()
      .url()
      .startsWith('https://')
      .transform((url) => new URL(url).origin)
      .optional(),
    WORKSTATION_DATA_DIR: z.string().default(join(homedir(), '.workstation-dev')),
  })
  .superRefine((env, context) => {
    if (env.TOKENSTORE_ADMIN_CONSOLE_CLIENT_ID && !env.TOKENSTORE_ADMIN_CONSOLE_AUTHORITY)
      context.addIssue({
        code: 'custom',
        path: ['TOKENSTORE_ADMIN_CONSOLE_AUTHORITY'],
        message:
          'the admin console needs its authority, https://login.microsoftonline.com/<tenant id>',
      });
  })
  .transform(({ TOKENSTORE_EXTRA_ORIGINS, TOKENSTORE_EXTRA_ORG_ORIGINS, ...env }) => ({
    ...env,
    extraOrigins: TOKENSTORE_EXTRA_ORIGINS ?? TOKENSTORE_EXTRA_ORG_ORIGINS,
    // The store's own delegated scope: its tokens carry the store's app roles.
    adminConsoleScope:
      env.TOKENSTORE_ADMIN_CONSOLE_SCOPE ??
      `api://${env.TOKENSTORE_AUDIENCE}/${TOKENSTORE_SCOPE_NAME}`,
  }));
