import { z } from 'zod';
import { workstationError } from '../../../src-shared/errors';
import { salesforceInfo } from '../../../src-shared/integrations/salesforce';
import type { IAuthStrategy } from '../../auth/auth-strategy';
import { OAuthPkceAuth } from '../../auth/oauth-pkce-auth';
import type { AuthContext, IntegrationDescriptor } from '../integration-descriptor';
import { SalesforceApi } from './salesforce-api';
import { mapSalesforceError } from './salesforce-errors';
import { SalesforceProvider } from './salesforce-provider';
import { SalesforceTasks } from './salesforce-tasks';

/**
 * What Workstation asks Salesforce for: the REST API, a refresh token so it can work without
 * prompting, and the identity URL for the account's name ("OAuth Tokens and Scopes",
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_tokens_scopes.htm).
 */
export const SALESFORCE_SCOPES = ['api', 'refresh_token', 'id'] as const;

/** The callback URL the connected app registers; Salesforce compares it exactly, port included. */
export const salesforceRedirectUri = (port: number) => `http://localhost:${port}/callback`;

/**
 * What the app's configuration gives Salesforce (`WORKSTATION_SALESFORCE_CLIENT_ID`,
 * `WORKSTATION_SALESFORCE_REDIRECT_PORT`): the connected app's consumer key, and the loopback port
 * of the callback URL registered for it (`http://localhost:<port>/callback`), which Salesforce
 * matches exactly
 * (https://help.salesforce.com/s/articleView?id=xcloud.connected_app_create_api_integration.htm).
 */
export const salesforceSettingsSchema = z.object({
  clientId: z.string().max(300).default(''),
  redirectPort: z.coerce.number().int().min(1024).max(65535).default(17170),
});

/** A strategy that only says why the connection cannot sign in. */
function unavailableAuth(message: string): IAuthStrategy {
  const error = workstationError('unavailable', message);
  return {
    account: async () => undefined,
    lastError: error,
    lost: false,
    getAccessToken: async () => {
      throw error;
    },
    apiBaseUrl: async () => undefined,
    connect: async () => {
      throw error;
    },
    disconnect: async () => undefined,
  };
}

/**
 * Salesforce: OAuth 2.0 web server flow with PKCE against the environment's login host
 * (production, sandbox or a My Domain), the REST API at the org's `instance_url`, live search
 * (SOSL) and My CRM Tasks ("OAuth Endpoints",
 * https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_endpoints.htm).
 */
export const salesforceDescriptor: IntegrationDescriptor = {
  info: salesforceInfo,
  createAuth: (context: AuthContext) => {
    const settings = salesforceSettingsSchema.safeParse(context.settings);
    if (!settings.success)
      return unavailableAuth(
        `Salesforce is not configured correctly: ${settings.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}.`,
      );
    const { clientId, redirectPort } = settings.data;
    if (!clientId)
      return unavailableAuth(
        "Salesforce is not configured: set the connected app's consumer key (WORKSTATION_SALESFORCE_CLIENT_ID).",
      );
    const origin = context.target.origin;
    return new OAuthPkceAuth({
      displayName: context.displayName,
      clientId,
      endpoints: {
        authorize: `${origin}/services/oauth2/authorize`,
        token: `${origin}/services/oauth2/token`,
        revoke: `${origin}/services/oauth2/revoke`,
      },
      scopes: SALESFORCE_SCOPES,
      redirectUri: salesforceRedirectUri(redirectPort),
      // The identity URL answers the username ("Identity URLs",
      // https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_openid.htm).
      resolveUsername: async (grant, getJson) => {
        if (!grant.idUrl)
          throw workstationError(
            'upstream_failed',
            `${context.displayName} did not send an identity URL; the connected app needs the "id" scope.`,
          );
        const identity = z
          .object({ username: z.string().min(1).max(200) })
          .passthrough()
          .safeParse(await getJson(grant.idUrl));
        if (!identity.success)
          throw workstationError(
            'upstream_failed',
            `${context.displayName} answered who you are in an unexpected form.`,
          );
        return identity.data.username;
      },
      store: context.store,
      envelope: context.envelope,
      envelopeContext: context.envelopeContext,
      logger: context.logger,
      onChange: context.onChange,
      ...(context.environment.extraCa ? { extraCa: context.environment.extraCa } : {}),
    });
  },
  // Before the first connect there is no instance_url yet: the login host stands in.
  apiBase: (target) => target.origin,
  createSearch: (context) =>
    new SalesforceProvider(new SalesforceApi(context.http), context.apiBase, {
      id: context.sourceId,
      label: context.sourceLabel,
    }),
  createTasks: (context) =>
    new SalesforceTasks(new SalesforceApi(context.http), context.apiBase, context.sourceLabel),
  // Records open on the instance (`<instance_url>/lightning/r/...`), which redirects in the browser.
  linkHosts: (_target, apiBase) => [new URL(apiBase).host],
  mapHttpError: (failure, displayName) => mapSalesforceError(failure, displayName),
};
