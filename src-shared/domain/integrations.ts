import { z } from 'zod';
import { integrationIdSchema } from '../integrations/catalog';
import { CONNECTION_ID_PATTERN } from '../integrations/connection-id';

export { integrationIdSchema, type IntegrationId } from '../integrations/catalog';

export const connectionIdSchema = z
  .string()
  .regex(CONNECTION_ID_PATTERN, 'a connection id: lower-case letters, digits and dashes');

/** What a connection's row shows; never a token, only who is connected. */
export const integrationStateSchema = z.enum([
  'not_connected',
  'connecting',
  'connected',
  'needs_reconnect',
  'needs_admin_consent',
  'unavailable',
]);
export type IntegrationState = z.infer<typeof integrationStateSchema>;

/** One connection of an integration (an org, an environment, the user's mailbox). */
export const connectionSummarySchema = z.object({
  connectionId: connectionIdSchema,
  /** What follows the integration's name on chips and rows ("contoso", "sandbox"); empty for the only one. */
  label: z.string().max(80),
  state: integrationStateSchema,
  /** The connected account's user name, when connected. */
  account: z.string().optional(),
  /** Why the connection is in its state, in the user's words. */
  detail: z.string().optional(),
  /** A link that fixes the state, e.g. the prefilled admin-consent page for `needs_admin_consent`. */
  actionUrl: z.string().url().optional(),
  /** Where the connection signs in or talks to (the Dynamics org, the Salesforce login host). */
  origin: z.string().url().optional(),
  /** While `connecting`: when Workstation stops waiting for the consent by itself (epoch ms). */
  pendingUntil: z.number().int().optional(),
});
export type ConnectionSummary = z.infer<typeof connectionSummarySchema>;

/** One field of a Connect form, as `src-shared/integrations` describes it. */
export const connectFieldSchema = z.object({
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,31}$/),
  label: z.string(),
  kind: z.enum(['text', 'choice']),
  placeholder: z.string().optional(),
  help: z.string().optional(),
  choices: z
    .array(z.object({ value: z.string(), label: z.string() }))
    .max(50)
    .optional(),
});
export type ConnectFieldSummary = z.infer<typeof connectFieldSchema>;

/** An integration's card: what it is, whether the user may use it, its connections and its Connect form. */
export const integrationSummarySchema = z.object({
  id: integrationIdSchema,
  name: z.string(),
  description: z.string(),
  capabilities: z.array(z.enum(['search', 'tasks', 'meetings'])),
  /** `unavailable`: not enabled for this user, not configured, or signed out (`detail` says which). */
  availability: z.enum(['available', 'unavailable']),
  detail: z.string().optional(),
  /**
   * The form that adds a connection: the admin's pinned targets as one choice, else the
   * integration's own fields; empty when Connect needs no input. Absent when no connection can be added.
   */
  connect: z.object({ fields: z.array(connectFieldSchema).max(10) }).optional(),
  connections: z.array(connectionSummarySchema).max(50),
});
export type IntegrationSummary = z.infer<typeof integrationSummarySchema>;

export const integrationListSchema = z.object({ integrations: z.array(integrationSummarySchema) });
export type IntegrationList = z.infer<typeof integrationListSchema>;

/** The Connect form's answers (`target` picks a pinned connection; reconnect names `connectionId`). */
export const connectInputSchema = z
  .object({
    id: integrationIdSchema,
    connectionId: connectionIdSchema.optional(),
    fields: z
      .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,31}$/), z.string().max(300))
      .optional(),
  })
  .strict()
  .refine((input) => Object.keys(input.fields ?? {}).length <= 10, 'At most 10 fields.');

export const disconnectInputSchema = z
  .object({ id: integrationIdSchema, connectionId: connectionIdSchema })
  .strict();
