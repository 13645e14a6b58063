import { z } from 'zod';

/** Who is signed in to Workstation itself (the account whose token unlocks the token store). */
export const sessionAccountSchema = z.object({
  username: z.string(),
  displayName: z.string().optional(),
  tenantId: z.string(),
});

/** What the renderer knows about the Workstation session: never a token, only the account. */
export const sessionSummarySchema = z.object({
  state: z.enum(['signed_out', 'signing_in', 'signed_in']),
  account: sessionAccountSchema.optional(),
  /** Whether the OS keychain holds the root secret; when false Workstation runs memory-only. */
  keychain: z.enum(['available', 'unavailable']),
  /** Plain words for the user when something needs their attention (keychain, store). */
  notice: z.string().optional(),
  /** `demo` signs in to the embedded sample tenant. */
  mode: z.enum(['demo', 'tenant']),
});
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

/**
 * Asks the renderer to show a sign-in or consent page. Only the web host sends it (it cannot open
 * the user's browser itself); the Electron shell opens the system browser directly.
 */
export const browserRequestSchema = z.object({
  url: z.string().url(),
  purpose: z.enum(['sign_in', 'connect', 'admin_consent']),
});
export type BrowserRequest = z.infer<typeof browserRequestSchema>;
