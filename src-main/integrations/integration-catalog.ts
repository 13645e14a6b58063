import type { IntegrationList } from '../../src-shared/domain/integrations';

/**
 * The integrations Workstation offers. Connection state is not tracked yet (sign-in lands with the
 * secrets issue), so every integration reports `not_connected`.
 */
export class IntegrationCatalog {
  list(): IntegrationList {
    return {
      integrations: [
        {
          id: 'dynamics',
          name: 'Dynamics 365',
          description: 'Search leads, contacts, accounts and opportunities; see and complete your CRM tasks.',
          state: 'not_connected',
        },
        {
          id: 'outlook',
          name: 'Outlook calendar',
          description: 'See your upcoming meetings and join Teams, Zoom, Webex or Gong calls in one click.',
          state: 'not_connected',
        },
      ],
    };
  }
}
