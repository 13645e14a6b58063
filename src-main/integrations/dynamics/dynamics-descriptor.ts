import { dynamicsInfo } from '../../../src-shared/integrations/dynamics';
import { EntraAuth } from '../../auth/entra-auth';
import type { IntegrationDescriptor } from '../integration-descriptor';
import { DynamicsApi } from './dynamics-api';
import { DynamicsProvider } from './dynamics-provider';
import { DynamicsTasks } from './dynamics-tasks';

/**
 * Dynamics 365: Entra ID sign-in for the org's `user_impersonation` scope, the org itself as the
 * Web API's base, live search and My CRM Tasks; record links open on the org's host.
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/overview
 */
export const dynamicsDescriptor: IntegrationDescriptor = {
  info: dynamicsInfo,
  createAuth: (context) =>
    new EntraAuth({
      identity: context.environment.identity,
      displayName: context.displayName,
      scopes: [`${context.target.origin}/user_impersonation`],
      resource: context.target.origin,
      store: context.store,
      envelope: context.envelope,
      envelopeContext: context.envelopeContext,
      logger: context.logger,
      onChange: context.onChange,
    }),
  apiBase: (target) => target.origin,
  createSearch: (context) =>
    new DynamicsProvider(new DynamicsApi(context.http), context.apiBase, {
      id: context.sourceId,
      label: context.sourceLabel,
    }),
  createTasks: (context) => new DynamicsTasks(context.http, context.apiBase),
  linkHosts: (target) => [new URL(target.origin).host],
};
