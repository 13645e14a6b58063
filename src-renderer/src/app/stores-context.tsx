import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { BrowserRequests } from '../bridge/browser-requests';
import type { WorkstationClient } from '../bridge/workstation-client';
import type { SearchStore } from '../search/search-store';
import type { IntegrationsStore } from '../settings/integrations-store';
import type { SessionStore } from '../settings/session-store';
import type { SettingsStore } from '../settings/settings-store';
import type { MeetingsStore } from '../widgets/meetings-store';
import type { TasksStore } from '../widgets/tasks-store';

/** The API and the per-feature stores, created once at start-up and handed down by context. */
export interface Stores {
  readonly client: WorkstationClient;
  readonly search: SearchStore;
  readonly integrations: IntegrationsStore;
  readonly settings: SettingsStore;
  readonly session: SessionStore;
  readonly browser: BrowserRequests;
  readonly tasks: TasksStore;
  readonly meetings: MeetingsStore;
}

export const StoresContext = createContext<Stores | undefined>(undefined);

/** The stores of the running app. */
export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores outside StoresContext');
  return stores;
}

/** Reads a slice of a store through a selector, re-rendering only when it changes. */
export function useSlice<S, T>(store: StoreApi<S>, selector: (state: S) => T): T {
  return useStore(store, selector);
}
