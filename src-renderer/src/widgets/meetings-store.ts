import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MeetingList } from '../../../src-shared/domain/meetings';
import { isWorkstationError } from '../../../src-shared/errors';
import type { WorkstationClient } from '../bridge/workstation-client';
import { integrationsSignature, keepMeetings, keepOnFailure, type Stale } from './last-known';

/** Upcoming meetings view state. */
export interface MeetingsState {
  readonly list: MeetingList | undefined;
  readonly error: string | undefined;
  /** The agenda shown is the last known one (no calendar can be reached), and how old. */
  readonly stale: Stale | undefined;
}

export type MeetingsStore = StoreApi<MeetingsState & { load(): Promise<void> }>;

export function createMeetingsStore(client: WorkstationClient): MeetingsStore {
  const store = createStore<MeetingsState & { load(): Promise<void> }>()((set, get) => ({
    list: undefined,
    error: undefined,
    stale: undefined,
    async load() {
      try {
        const next = await client.call('meetings:list', {});
        set({ ...keepMeetings(get().list, next), error: undefined });
      } catch (error) {
        const message = isWorkstationError(error) ? error.message : 'Meetings could not be loaded.';
        const { list, stale } = get();
        const kept =
          stale ??
          keepOnFailure(
            list?.status.fetchedAt,
            (list?.meetings.length ?? 0) + (list?.allDay.length ?? 0) > 0,
            'Workstation cannot reach your calendar right now.',
          );
        set(kept ? { stale: kept, error: undefined } : { error: message });
      }
    },
  }));
  // A connection turned off, signed out or connected changes the agenda: load again.
  let seen: string | undefined;
  client.on('integrations:didChange', (list) => {
    const signature = integrationsSignature(list);
    if (signature !== seen && store.getState().list) void store.getState().load();
    seen = signature;
  });
  return store;
}

/** "now", "starts in 5 min", "in 2 h", or the time: what a glance needs. */
export function meetingLabel(startIso: string, endIso: string, now: number): string {
  const start = Date.parse(startIso);
  const end = Date.parse(endIso);
  if (start <= now && end > now) return 'now';
  const minutes = Math.round((start - now) / 60_000);
  if (minutes >= 0 && minutes < 60)
    return minutes <= 1 ? 'starts in 1 min' : `starts in ${minutes} min`;
  if (minutes >= 60 && minutes < 4 * 60) return `in ${Math.round(minutes / 60)} h`;
  return new Date(start).toLocaleString(undefined, {
    weekday: 'short',
    hour: 'numeric',
    minute: '2-digit',
  });
}
