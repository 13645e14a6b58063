import { createStore, type StoreApi } from 'zustand/vanilla';
import type { IntegrationId, IntegrationSummary } from '../../../src-shared/domain/integrations';
import { isWorkstationError } from '../../../src-shared/errors';
import type { WorkstationClient } from '../bridge/workstation-client';

/** Settings > Integrations view state. */
export interface IntegrationsState {
  readonly integrations: readonly IntegrationSummary[];
  readonly loading: boolean;
  /** A problem for the whole tab (listing failed, a reconnect or disconnect failed). */
  readonly error: string | undefined;
  /** Main's answer to a Connect form it could not accept (`invalid_input`), per integration id. */
  readonly connectErrors: Readonly<Record<IntegrationId, string>>;
}

export interface IntegrationsActions {
  load(): Promise<void>;
  /** Adds a connection from the Connect form's answers; false when main refused them. */
  connect(id: IntegrationId, fields: Readonly<Record<string, string>>): Promise<boolean>;
  /** Signs in again for an existing connection (expired, revoked, extra verification); false when main refused. */
  reconnect(id: IntegrationId, connectionId: string): Promise<boolean>;
  disconnect(id: IntegrationId, connectionId: string): Promise<void>;
  /** Stops waiting for a Connect the user abandoned (the consent tab was closed). */
  cancelConnect(id: IntegrationId, connectionId: string): Promise<void>;
  /** The user changed the form: the last refusal no longer describes it. */
  clearConnectError(id: IntegrationId): void;
  dispose(): void;
}

export type IntegrationsStore = StoreApi<IntegrationsState & IntegrationsActions>;

export const initialIntegrationsState: IntegrationsState = {
  integrations: [],
  loading: false,
  error: undefined,
  connectErrors: {},
};

const without = (errors: Readonly<Record<string, string>>, id: string): Record<string, string> => {
  const { [id]: _dropped, ...rest } = errors;
  return rest;
};

/** Creates the integrations store; it follows `integrations:didChange` once created. */
export function createIntegrationsStore(client: WorkstationClient): IntegrationsStore {
  const store = createStore<IntegrationsState & IntegrationsActions>()((set, get) => ({
    ...initialIntegrationsState,
    async load() {
      set({ loading: true, error: undefined });
      try {
        const { integrations } = await client.call('integrations:list', {});
        set({ integrations, loading: false });
      } catch (error) {
        set({
          loading: false,
          error: isWorkstationError(error) ? error.message : 'Integrations could not be listed.',
        });
      }
    },
    async connect(id, fields) {
      set({ connectErrors: without(get().connectErrors, id) });
      try {
        const { integrations } = await client.call('integrations:connect', {
          id,
          fields: { ...fields },
        });
        set({ integrations, error: undefined });
        return true;
      } catch (error) {
        // Main checks the form (the catalog knows each integration's fields); its refusal belongs under the form.
        if (isWorkstationError(error) && error.code === 'invalid_input')
          set({ connectErrors: { ...get().connectErrors, [id]: error.message } });
        else
          set({ error: isWorkstationError(error) ? error.message : 'Connecting could not start.' });
        return false;
      }
    },
    async reconnect(id, connectionId) {
      try {
        const { integrations } = await client.call('integrations:connect', { id, connectionId });
        set({ integrations, error: undefined });
        return true;
      } catch (error) {
        set({ error: isWorkstationError(error) ? error.message : 'Reconnecting could not start.' });
        return false;
      }
    },
    async disconnect(id, connectionId) {
      try {
        const { integrations } = await client.call('integrations:disconnect', { id, connectionId });
        set({ integrations, error: undefined });
      } catch (error) {
        set({ error: isWorkstationError(error) ? error.message : 'Disconnecting failed.' });
      }
    },
    async cancelConnect(id, connectionId) {
      try {
        const { integrations } = await client.call('integrations:cancelConnect', {
          id,
          connectionId,
        });
        set({ integrations, error: undefined });
      } catch (error) {
        set({ error: isWorkstationError(error) ? error.message : 'Cancelling failed.' });
      }
    },
    clearConnectError(id) {
      if (id in get().connectErrors) set({ connectErrors: without(get().connectErrors, id) });
    },
    dispose() {
      unsubscribe();
    },
  }));
  const unsubscribe = client.on('integrations:didChange', ({ integrations }) =>
    store.setState({ integrations }),
  );
  return store;
}
