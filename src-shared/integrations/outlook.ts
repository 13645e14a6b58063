import { z } from 'zod';
import type { IntegrationInfo } from './integration-info';

/** Outlook calendar: one connection per user (their own mailbox), nothing to choose. */
export const outlookInfo: IntegrationInfo = {
  id: 'outlook',
  name: 'Outlook calendar',
  description: 'See your upcoming meetings and join Teams, Zoom, Webex or Gong calls in one click.',
  capabilities: ['meetings', 'search'],
  multipleConnections: false,
  connectFields: [],
  adminSettingsSchema: () => z.object({}).strict(),
  pinnedTargets: () => [],
  targetFromInput: () => ({
    connectionId: 'default',
    label: '',
    origin: 'https://graph.microsoft.com',
  }),
};
