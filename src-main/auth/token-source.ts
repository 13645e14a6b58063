import type { IntegrationId } from '../../src-shared/domain/integrations';

/** Gives access tokens per integration; throws WorkstationErrors that say what the user must do. */
export interface ITokenSource {
  getAccessToken(integration: IntegrationId, options?: { readonly forceRefresh?: boolean }): Promise<string>;
}
