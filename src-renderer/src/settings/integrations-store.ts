import { createStore, type StoreApi } from 'zustand/vanilla';
import type { IntegrationSummary } from '../../../src-shared/domain/integrations';
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
    dispose() {
      unsubscribe();
    },
  }));
  const unsubscribe = client.on('integrations:didChange', ({ integrations }) => store.setState({ integrations }));
  return store;
}
