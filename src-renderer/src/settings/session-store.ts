import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SessionSummary } from '../../../src-shared/domain/session';
import { isWorkstationError } from '../../../src-shared/errors';
import type { WorkstationClient } from '../bridge/workstation-client';

/** The Workstation sign-in as the renderer shows it. */
export interface SessionState {
  readonly session: SessionSummary | undefined;
  readonly error: string | undefined;
}

export interface SessionActions {
  load(): Promise<void>;
  signIn(): Promise<void>;
  signOut(): Promise<void>;
  dispose(): void;
}

export type SessionStore = StoreApi<SessionState & SessionActions>;

/** Creates the session store; it follows `session:didChange`. */
export function createSessionStore(client: WorkstationClient): SessionStore {
  const run = async (
    set: (state: Partial<SessionState>) => void,
    call: () => Promise<SessionSummary>,
    failure: string,
  ) => {
    try {
      set({ session: await call(), error: undefined });
    } catch (error) {
      set({ error: isWorkstationError(error) ? error.message : failure });
    }
  };
  const store = createStore<SessionState & SessionActions>()((set) => ({
    session: undefined,
    error: undefined,
    load: () =>
      run(set, () => client.call('session:get', {}), 'Your sign-in state could not be read.'),
    signIn: () => run(set, () => client.call('session:signIn', {}), 'Signing in could not start.'),
    signOut: () => run(set, () => client.call('session:signOut', {}), 'Signing out failed.'),
    dispose: () => unsubscribe(),
  }));
  const unsubscribe = client.on('session:didChange', (session) => store.setState({ session }));
  return store;
}
