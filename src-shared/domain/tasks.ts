import { z } from 'zod';

/** One open CRM task as the My CRM Tasks widget shows it (the Dataverse id stays in main). */
export const crmTaskSchema = z.object({
  id: z.string().min(1).max(100),
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
  state: z.enum(['ok', 'not_connected', 'needs_reconnect', 'failed']),
  message: z.string().optional(),
  fetchedAt: z.number().int().optional(),
});

export const taskListSchema = z.object({ tasks: z.array(crmTaskSchema).max(200), status: widgetStatusSchema });
export type TaskList = z.infer<typeof taskListSchema>;
