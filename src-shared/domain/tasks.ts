import { z } from 'zod';

/** One open CRM task as the My CRM Tasks widget shows it (the CRM's own id stays in main). */
export const crmTaskSchema = z.object({
  id: z.string().min(1).max(100),
  /** The connection it came from (`dynamics:contoso-crm4`) and how the row names it ("Dynamics 365 · contoso"). */
  source: z.string().min(1).max(100),
  sourceLabel: z.string().max(120),
  subject: z.string(),
  dueAt: z.string().optional(),
  overdue: z.boolean(),
  priority: z.enum(['low', 'normal', 'high']),
  regarding: z.object({ name: z.string(), entityType: z.string() }).optional(),
  url: z.string().url(),
});
export type CrmTask = z.infer<typeof crmTaskSchema>;

/** Where a widget's data came from, in the user's words. */
export const widgetStatusSchema = z.object({
  /** `not_enabled`: the organisation turned the integrations off for this user; Connect cannot help. */
  state: z.enum(['ok', 'not_connected', 'needs_reconnect', 'failed', 'not_enabled']),
  message: z.string().optional(),
  fetchedAt: z.number().int().optional(),
});
export type WidgetStatus = z.infer<typeof widgetStatusSchema>;

/** One connection's part of a widget: its own state, so one failing CRM never blanks the others. */
export const widgetSourceSchema = widgetStatusSchema.extend({
  source: z.string().min(1).max(100),
  label: z.string().max(120),
});
export type WidgetSource = z.infer<typeof widgetSourceSchema>;

export const taskListSchema = z.object({
  tasks: z.array(crmTaskSchema).max(200),
  /** The widget's overall state: ok when any source answered. */
  status: widgetStatusSchema,
  sources: z.array(widgetSourceSchema).max(50).optional(),
});
export type TaskList = z.infer<typeof taskListSchema>;
