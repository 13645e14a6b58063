import { z } from 'zod';
import { widgetStatusSchema } from './tasks';

/** One meeting of the Upcoming meetings widget. */
export const meetingSchema = z.object({
  id: z.string().min(1).max(300),
  subject: z.string(),
  start: z.string(),
  end: z.string(),
  isAllDay: z.boolean(),
  location: z.string().optional(),
  organizer: z.string().optional(),
  join: z
    .object({ url: z.string().url(), provider: z.enum(['teams', 'zoom', 'webex', 'gong']) })
    .optional(),
  webLink: z.string().url().optional(),
});
export type Meeting = z.infer<typeof meetingSchema>;

export const meetingListSchema = z.object({
  meetings: z.array(meetingSchema).max(200),
  allDay: z.array(meetingSchema).max(50),
  status: widgetStatusSchema,
});
export type MeetingList = z.infer<typeof meetingListSchema>;
