import { z } from 'zod';

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** `electron` in the desktop app, `web` when served by the web host. */
  host: z.enum(['electron', 'web']),
  platform: z.string(),
  /** `demo` runs against the embedded sandbox tenant; `tenant` against a configured Microsoft tenant. */
  mode: z.enum(['demo', 'tenant']),
  /** Whether the global hotkey could be registered (always false in the web host). */
  hotkeyRegistered: z.boolean(),
  hotkey: z.string(),
  /** Why the shortcut is not registered, when the host knows better than "taken" (a Wayland compositor refused it). */
  hotkeyProblem: z.string().max(500).optional(),
  /** Open at login as the organisation's policy sets it (absent when the user decides). */
  openAtLoginPolicy: z.boolean().optional(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;
