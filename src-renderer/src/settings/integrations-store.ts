import { createStore, type StoreApi } from 'zustand/vanilla';
import type { IntegrationId, IntegrationSummary } from '../../../src-shared/domain/integrations';
import { isWorkstationError } from '../../../src-shared/errors';
import type { WorkstationClient } from '../bridge/workstation-client';

/** Settings > Integrations view state. */
export interface IntegrationsState {
  readonly integrations: readonly IntegrationSummary[];
  readonly loading: boolean;
  readonly error: string | undefined;
}

export interface IntegrationsActions {
  load(): Promise<void>;
  connect(id: IntegrationId, orgSubdomain?: string): Promise<void>;
  disconnect(id: IntegrationId): Promise<void>;
  dispose(): void;
}

export type IntegrationsStore = StoreApi<IntegrationsState & IntegrationsActions>;

export const initialIntegrationsState: IntegrationsState = { integrations: [], loading: false, error: undefined };

/** Creates the integrations store; it follows `integrations:didChange` once created. */
export function createIntegrationsStore(client: WorkstationClient): IntegrationsStore {
  const store = createStore<IntegrationsState & IntegrationsActions>()((set) => ({
    ...initialIntegrationsState,
    async load() {
      set({ loading: true, error: undefined });
      try {
        const { integrations } = await client.call('integrations:list', {});
        set({ integrations, loading: false });
      } catch (error) {
        set({ loading: false, error: isWorkstationError(error) ? error.message : 'Integrations could not be listed.' });
      }
    },
    async connect(id, orgSubdomain) {
      try {
        const { integrations } = await client.call('integrations:connect', { id, ...(orgSubdomain ? { orgSubdomain } : {}) });
        set({ integrations, error: undefined });
      } catch (error) {
        set({ error: isWorkstationError(error) ? error.message : 'Connecting could not start.' });
      }
    },
    async disconnect(id) {
      try {
        const { integrations } = await client.call('integrations:disconnect', { id });
        set({ integrations, error: undefined });
      } catch (error) {
        set({ error: isWorkstationError(error) ? error.message : 'Disconnecting failed.' });
      }
    },
    dispose() {
      unsubscribe();
    },
  }));
  const unsubscribe = client.on('integrations:didChange', ({ integrations }) => store.setState({ integrations }));
  return store;
}
