import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  defaultSettings,
  type Settings,
  type SettingsPatch,
} from '../../../src-shared/domain/settings';
import { isWorkstationError } from '../../../src-shared/errors';
import type { WorkstationClient } from '../bridge/workstation-client';

/** The user's preferences as the renderer sees them. */
export interface SettingsState {
  readonly settings: Settings;
  readonly loaded: boolean;
  readonly error: string | undefined;
}

export interface SettingsActions {
  load(): Promise<void>;
  update(patch: SettingsPatch): Promise<void>;
  dispose(): void;
}

export type SettingsStore = StoreApi<SettingsState & SettingsActions>;

/** Creates the settings store; main stays the source of truth and announces changes. */
export function createSettingsStore(client: WorkstationClient): SettingsStore {
  const store = createStore<SettingsState & SettingsActions>()((set) => ({
    settings: defaultSettings,
    loaded: false,
    error: undefined,
    async load() {
      try {
        set({ settings: await client.call('settings:get', {}), loaded: true, error: undefined });
      } catch (error) {
        set({ error: isWorkstationError(error) ? error.message : 'Settings could not be read.' });
      }
    },
    async update(patch) {
      try {
        set({ settings: await client.call('settings:set', patch), error: undefined });
      } catch (error) {
        set({ error: isWorkstationError(error) ? error.message : 'Settings could not be saved.' });
      }
    },
    dispose() {
      unsubscribe();
    },
  }));
  const unsubscribe = client.on('settings:didChange', (settings) => store.setState({ settings }));
  return store;
}
