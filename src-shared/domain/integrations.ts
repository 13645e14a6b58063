import { z } from 'zod';

export const integrationIdSchema = z.enum(['dynamics', 'outlook']);
export type IntegrationId = z.infer<typeof integrationIdSchema>;

/** What an integration card shows; never a token, only who is connected. */
export const integrationStateSchema = z.enum([
  'not_connected',
  'connecting',
  'connected',
  'needs_reconnect',
  'needs_admin_consent',
  'unavailable',
]);
export type IntegrationState = z.infer<typeof integrationStateSchema>;

export const integrationSummarySchema = z.object({
  id: integrationIdSchema,
  name: z.string(),
  description: z.string(),
  state: integrationStateSchema,
  /** The connected account's user name (UPN), when connected. */
  account: z.string().optional(),
  /** Why the integration is in its state, in the user's words. */
  detail: z.string().optional(),
  /** A link that fixes the state, e.g. the prefilled admin-consent page for `needs_admin_consent`. */
  actionUrl: z.string().url().optional(),
  /** The Dynamics org this integration talks to, once known. */
  orgUrl: z.string().url().optional(),
  /** True when the admin has not set the org, so the user must type its subdomain to connect. */
  needsOrg: z.boolean().optional(),
});
export type IntegrationSummary = z.infer<typeof integrationSummarySchema>;

export const integrationListSchema = z.object({ integrations: z.array(integrationSummarySchema) });
export type IntegrationList = z.infer<typeof integrationListSchema>;
