import { z } from 'zod';
import { errorCodes, errorDataSchema } from '../errors';
import { CONNECTION_ID_PATTERN } from '../integrations/connection-id';

/**
 * The token store's HTTP API (route by route in src-tokenstore/README.md): shared by the store (which validates requests
 * with these schemas) and the desktop client (which parses responses with them).
 */
export const integrationKeySchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,31}$/, 'an integration id: lower-case letters, digits and dashes');
export const deviceIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'a device id: 8-64 base64url characters');
export const connectionIdSchema = z
  .string()
  .regex(CONNECTION_ID_PATTERN, 'a connection id: lower-case letters, digits and dashes');
export const objectIdSchema = z
  .string()
  .regex(/^[0-9a-fA-F-]{36}$/, 'a directory object id (GUID)');

/** Blobs are opaque base64url text; the cap leaves room for a large MSAL cache, encrypted. */
export const MAX_BLOB_CHARS = 200_000;
export const blobSchema = z
  .string()
  .min(1)
  .max(MAX_BLOB_CHARS)
  .regex(/^[A-Za-z0-9_-]+$/, 'base64url text');

/**
 * The connection the two-segment blob routes (`/v1/blobs/:integration/:deviceId`, from before an
 * integration could hold several connections) address, and where the upgrade put the blobs they held.
 */
export const DEFAULT_CONNECTION = 'default';

/** `/v1/blobs/:integration/:connection/:deviceId`. */
export const blobParamsSchema = z.object({
  integration: integrationKeySchema,
  connection: connectionIdSchema,
  deviceId: deviceIdSchema,
});
export const putBlobBodySchema = z.object({ blob: blobSchema }).strict();

export const blobResponseSchema = z.object({
  blob: blobSchema,
  version: z.string(),
  updatedAt: z.string(),
});
export type BlobResponse = z.infer<typeof blobResponseSchema>;
export const putBlobResponseSchema = z.object({ version: z.string(), updatedAt: z.string() });
export type PutBlobResponse = z.infer<typeof putBlobResponseSchema>;

/**
 * An org's settings for one integration: a JSON object whose shape the integration's catalog entry
 * defines (`integrationInfo(id).adminSettingsSchema` in src-shared/integrations). The store checks
 * it there before saving and keeps what that schema parsed (org URLs reduced to their origin); the
 * desktop app checks what it reads again, with its own policy.
 */
export const integrationSettingsSchema = z.record(z.string(), z.unknown());
export type IntegrationSettings = z.infer<typeof integrationSettingsSchema>;

/** Who may use an integration: everyone in the tenant, listed users, or members of listed groups. */
export const audienceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('users'), users: z.array(objectIdSchema).min(1).max(5000) }).strict(),
  z.object({ kind: z.literal('groups'), groups: z.array(objectIdSchema).min(1).max(500) }).strict(),
]);
export type Audience = z.infer<typeof audienceSchema>;

export const myIntegrationsResponseSchema = z.object({
  integrations: z.array(
    z.object({
      id: integrationKeySchema,
      enabled: z.literal(true),
      settings: integrationSettingsSchema,
    }),
  ),
});
export type MyIntegrationsResponse = z.infer<typeof myIntegrationsResponseSchema>;

/**
 * `GET /v1/me/policy`: what `/v1/me/integrations` says, plus how often an admin revoked the caller
 * per integration (`*`: all), under an ETag the app polls with If-None-Match (304 when unchanged).
 */
export const myPolicyResponseSchema = myIntegrationsResponseSchema.extend({
  revocations: z.record(z.string().max(64), z.number().int().nonnegative()),
});
export type MyPolicyResponse = z.infer<typeof myPolicyResponseSchema>;

export const adminIntegrationBodySchema = z
  .object({ enabled: z.boolean(), audience: audienceSchema, settings: integrationSettingsSchema })
  .strict();
export type AdminIntegrationBody = z.infer<typeof adminIntegrationBodySchema>;

export const adminIntegrationSchema = adminIntegrationBodySchema.extend({
  id: integrationKeySchema,
  updatedAt: z.string(),
});
export const adminIntegrationsResponseSchema = z.object({
  integrations: z.array(adminIntegrationSchema),
});

export const auditActions = [
  'blob.read',
  'blob.write',
  'blob.delete',
  'blob.revoked',
  'admin.integration.set',
  'admin.integration.disable',
  'admin.user.revoke',
  'admin.audit.read',
  'admin.directory.set',
  'admin.directory.sync',
  'admin.console.sign-in',
  'admin.console.sign-out',
  /** Directory sync found a user disabled or gone in Dynamics: inactive, their blobs deleted. */
  'directory.user.deactivated',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** What an admin action changed: the state before and after it, as the console and the API show it. */
export const auditDetailSchema = z.object({ before: z.unknown(), after: z.unknown() });
export type AuditDetail = z.infer<typeof auditDetailSchema>;
export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  tenantId: z.string(),
  actorId: z.string(),
  action: z.enum(auditActions),
  integration: z.string().nullable(),
  /** The connection a blob access concerned; null for admin actions, revocations and older entries. */
  connection: z.string().nullable(),
  deviceId: z.string().nullable(),
  targetUserId: z.string().nullable(),
  outcome: z.number().int(),
  requestId: z.string(),
  /** Before and after of an admin change; absent on reads, blob accesses and older entries. */
  detail: auditDetailSchema.optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditResponseSchema = z.object({
  entries: z.array(auditEntrySchema),
  next: z.string().optional(),
});
export const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]+$/)
    .optional(),
});

export const revokeResponseSchema = z.object({ deleted: z.number().int().nonnegative() });

/** Every error the store answers; `issues` names the rejected fields of an `invalid_input`. */
export const storeErrorSchema = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    requestId: z.string(),
    issues: errorDataSchema.shape.issues,
  }),
});
export type StoreError = z.infer<typeof storeErrorSchema>;
