import { z } from 'zod';
import { checkDynamicsOrgUrl } from '../domain/dynamics-org';
import { objectIdSchema } from './api';

/**
 * The token store's directory sync (src-tokenstore/directory/): app-only settings naming where the
 * credential lives, the synced Dynamics 365 users and teams, and the run records. Shared by the
 * store (validates with these) and the admin console (parses with these).
 */

/**
 * Where a secret lives, never the secret itself: an environment variable of the store's process
 * (named `TOKENSTORE_DIRECTORY_*`, so a setting cannot make the store send any other variable out)
 * or a file inside the store's secrets folder (`TOKENSTORE_DIRECTORY_SECRETS_DIR`; a bare file name,
 * so a setting cannot name any other file on the server).
 */
export const secretReferenceSchema = z.discriminatedUnion('from', [
  z
    .object({
      from: z.literal('env'),
      name: z
        .string()
        .regex(
          /^TOKENSTORE_DIRECTORY_[A-Z0-9_]{1,64}$/,
          'an environment variable named TOKENSTORE_DIRECTORY_…',
        ),
    })
    .strict(),
  z
    .object({
      from: z.literal('file'),
      name: z
        .string()
        .regex(
          /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
          'a file name inside the secrets folder (no path)',
        ),
    })
    .strict(),
]);
export type SecretReference = z.infer<typeof secretReferenceSchema>;

/**
 * The app registration's credential. A certificate (a private key and its certificate, both PEM) is
 * preferred over a client secret: the key never leaves the store, only a short signed assertion does
 * (https://learn.microsoft.com/entra/identity-platform/certificate-credentials).
 */
export const directoryCredentialSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('certificate'),
      privateKey: secretReferenceSchema,
      certificate: secretReferenceSchema,
    })
    .strict(),
  z.object({ kind: z.literal('secret'), secret: secretReferenceSchema }).strict(),
]);
export type DirectoryCredential = z.infer<typeof directoryCredentialSchema>;

const columnName = z.string().regex(/^[a-z_][a-z0-9_]{0,99}$/, 'a Dataverse column logical name');

/**
 * Which `systemuser` column feeds each directory field; lookups use the Web API's `_<name>_value`
 * form (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/web-api-types-operations#lookup-properties).
 */
export const fieldMappingSchema = z
  .object({
    systemUserId: columnName.default('systemuserid'),
    /** The join key to Entra ID object ids: the `oid` of a user's token. */
    objectId: columnName.default('azureactivedirectoryobjectid'),
    fullName: columnName.default('fullname'),
    email: columnName.default('internalemailaddress'),
    domainName: columnName.default('domainname'),
    title: columnName.default('title'),
    businessUnitId: columnName.default('_businessunitid_value'),
    isDisabled: columnName.default('isdisabled'),
  })
  .strict();
export type FieldMapping = z.infer<typeof fieldMappingSchema>;
export const defaultFieldMapping: FieldMapping = fieldMappingSchema.parse({});

/** Entra ID's public cloud; a sovereign cloud (or the demo's sandbox) names its own. */
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/** Hosts an admin may name as the authority besides `extraOrigins` (the national clouds). */
const AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.partner.microsoftonline.cn',
]);

const guid = z.string().regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, 'a GUID');

/** The directory settings of one tenant, as an admin saves them; `extraOrigins` as for integrations. */
export const directorySettingsSchema = (extraOrigins: readonly string[] = []) =>
  z
    .object({
      enabled: z.boolean(),
      orgUrl: z
        .string()
        .max(300)
        .transform((value, context) => {
          const check = checkDynamicsOrgUrl(value, extraOrigins);
          if (check.ok) return check.origin;
          context.addIssue({
            code: 'custom',
            message: `The org URL ${check.shown} is not accepted: ${check.reason}.`,
          });
          return z.NEVER;
        }),
      /** The Entra ID tenant the app registration lives in (GUID or verified domain). */
      tenantId: z.union([guid, z.string().regex(/^[a-z0-9.-]{3,253}$/i, 'a tenant domain')]),
      clientId: guid,
      credential: directoryCredentialSchema,
      authorityHost: z
        .string()
        .default(DEFAULT_AUTHORITY_HOST)
        .transform((value, context) => {
          let url: URL | undefined;
          try {
            url = new URL(value);
          } catch {
            url = undefined;
          }
          if (
            url &&
            url.protocol === 'https:' &&
            (AUTHORITY_HOSTS.has(url.host) || extraOrigins.includes(url.origin))
          )
            return url.origin;
          context.addIssue({
            code: 'custom',
            message: 'The authority must be Entra ID (https://login.microsoftonline.com).',
          });
          return z.NEVER;
        }),
      /** Hours between scheduled runs: weekly unless set. */
      everyHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 31)
        .default(24 * 7),
      /** Rows per page asked with `Prefer: odata.maxpagesize` (Dataverse caps it at 5,000). */
      pageSize: z.number().int().min(1).max(5000).default(1000),
      mapping: fieldMappingSchema.default(defaultFieldMapping),
      /** Whether teams and team memberships are synced, for group audiences. */
      syncTeams: z.boolean().default(true),
      /**
       * The shared key a Dataverse webhook must present, as its WebhookKey (`?code=`) or HttpHeader
       * (`x-workstation-webhook-key`) authentication
       * (https://learn.microsoft.com/power-apps/developer/data-platform/register-web-hook).
       * Unset: the webhook endpoint refuses everything.
       */
      webhookKey: secretReferenceSchema.optional(),
    })
    .strict();
export type DirectorySettings = z.output<ReturnType<typeof directorySettingsSchema>>;
export type DirectorySettingsInput = z.input<ReturnType<typeof directorySettingsSchema>>;

export const directorySettingsResponseSchema = z.object({
  settings: z.unknown().nullable(),
  updatedAt: z.string().nullable(),
});

/** Why a user is inactive: disabled in Dynamics, or no longer there. */
export const inactiveReasons = ['disabled', 'removed'] as const;

export const directoryUserSchema = z.object({
  systemUserId: z.string(),
  objectId: z.string().nullable(),
  fullName: z.string(),
  email: z.string().nullable(),
  domainName: z.string().nullable(),
  title: z.string().nullable(),
  businessUnitId: z.string().nullable(),
  status: z.enum(['active', 'inactive']),
  inactiveReason: z.enum(inactiveReasons).nullable(),
  syncedAt: z.string(),
});
export type DirectoryUser = z.infer<typeof directoryUserSchema>;

export const directoryUsersQuerySchema = z.object({
  search: z.string().trim().max(100).optional(),
  status: z.enum(['active', 'inactive']).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type DirectoryUsersQuery = z.input<typeof directoryUsersQuerySchema>;
export const directoryUsersResponseSchema = z.object({
  users: z.array(directoryUserSchema),
  total: z.number().int(),
});

export const directoryGroupSchema = z.object({
  teamId: z.string(),
  name: z.string(),
  /** The Entra group a group team stands for: what an audience names. Null for owner/access teams. */
  objectId: z.string().nullable(),
  teamType: z.number().int(),
  memberCount: z.number().int(),
});
export type DirectoryGroup = z.infer<typeof directoryGroupSchema>;
export const directoryGroupsQuerySchema = z.object({
  search: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const directoryGroupsResponseSchema = z.object({ groups: z.array(directoryGroupSchema) });

/**
 * Why a run failed, each as the reference connectors document the fix; the console shows `message`.
 */
export const syncErrorCodes = [
  'credential_unreadable',
  'invalid_client_secret',
  'client_secret_expired',
  'invalid_client_assertion',
  'app_not_found',
  'tenant_not_found',
  'token_failed',
  'not_application_user',
  'missing_privilege',
  'org_not_found',
  'unauthorized',
  'throttled',
  'timeout',
  'upstream_failed',
  'internal',
] as const;
export type SyncErrorCode = (typeof syncErrorCodes)[number];

export const syncRunSchema = z.object({
  id: z.string(),
  /** `full` reads every user; `delta` reads changes since the last run; `user` one user. */
  kind: z.enum(['full', 'delta', 'user']),
  trigger: z.enum(['schedule', 'manual', 'webhook']),
  /** The user a `user` run synced (their systemuserid or Entra object id). */
  target: z.string().nullable(),
  status: z.enum(['running', 'succeeded', 'failed', 'abandoned']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  created: z.number().int(),
  updated: z.number().int(),
  deactivated: z.number().int(),
  /** HTTP requests the run made to Entra ID and Dataverse. */
  requests: z.number().int(),
  error: z
    .object({
      code: z.enum(syncErrorCodes),
      message: z.string(),
      /** The upstream's own code (`AADSTS7000215`, `0x80072560`), when it gave one. */
      upstreamCode: z.string().nullable(),
    })
    .nullable(),
  /** A full run that fell back from an expired delta link, or resumed a paged read, says so. */
  note: z.string().nullable(),
});
export type SyncRun = z.infer<typeof syncRunSchema>;
export const syncRunsResponseSchema = z.object({ runs: z.array(syncRunSchema) });

export const directoryStatusSchema = z.object({
  configured: z.boolean(),
  enabled: z.boolean(),
  running: syncRunSchema.nullable(),
  lastRun: syncRunSchema.nullable(),
  lastSuccessAt: z.string().nullable(),
  nextRunAt: z.string().nullable(),
  users: z.object({ active: z.number().int(), inactive: z.number().int() }),
  groups: z.number().int(),
});
export type DirectoryStatus = z.infer<typeof directoryStatusSchema>;

/** `POST /v1/admin/directory/sync`: everyone (`{}`) or one user by Entra object id. */
export const syncNowBodySchema = z
  .object({
    user: objectIdSchema.optional(),
    /** Read everyone again even when a change-tracking link would allow a delta. */
    full: z.boolean().optional(),
  })
  .strict();
export const syncNowResponseSchema = z.object({
  started: z.boolean(),
  /** When a run was already under way (on this or another store instance), that run. */
  running: syncRunSchema.nullable(),
  queued: z.boolean(),
});

/** The message a user whose directory entry is inactive sees, on every route and in the app. */
export const USER_INACTIVE_MESSAGE = 'Your organisation has turned off Workstation for you.';
