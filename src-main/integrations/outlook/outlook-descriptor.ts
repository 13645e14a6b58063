import { GRAPH_RESOURCE } from '../../../src-shared/demo-tenant';
import { outlookInfo } from '../../../src-shared/integrations/outlook';
import { EntraAuth } from '../../auth/entra-auth';
import type { IntegrationDescriptor } from '../integration-descriptor';
import { OutlookCalendar } from './outlook-calendar';
import { OutlookProvider } from './outlook-provider';

/**
 * Outlook calendar: Entra ID sign-in for Graph's `Calendars.Read`, Upcoming meetings, and meetings
 * as a search source. Join links are checked by the link guard's meeting hosts, not by this entry.
 * https://learn.microsoft.com/graph/api/user-list-calendarview
 */
export const outlookDescriptor: IntegrationDescriptor = {
  info: outlookInfo,
  createAuth: (context) =>
    new EntraAuth({
      identity: context.environment.identity,
      displayName: context.displayName,
      scopes: [`${GRAPH_RESOURCE}/Calendars.Read`],
      resource: GRAPH_RESOURCE,
      store: context.store,
      envelope: context.envelope,
      envelopeContext: context.envelopeContext,
      logger: context.logger,
      onChange: context.onChange,
    }),
  apiBase: (_target, environment) => `${environment.graphBaseUrl.replace(/\/$/, '')}/`,
  createMeetings: (context) => new OutlookCalendar(context.http),
  createSearch: (context) =>
    new OutlookProvider(new OutlookCalendar(context.http), {
      id: context.sourceId,
      label: context.sourceLabel,
    }),
  linkHosts: () => [],
};
