import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MeetingList } from '../../../src-shared/domain/meetings';
import { isWorkstationError } from '../../../src-shared/errors';
import type { WorkstationClient } from '../bridge/workstation-client';

/** Upcoming meetings view state. */
export interface MeetingsState {
  readonly list: MeetingList | undefined;
  readonly error: string | undefined;
}

export type MeetingsStore = StoreApi<MeetingsState & { load(): Promise<void> }>;

export function createMeetingsStore(client: WorkstationClient): MeetingsStore {
  return createStore<MeetingsState & { load(): Promise<void> }>()((set) => ({
    list: undefined,
    error: undefined,
    async load() {
      try {
        set({ list: await client.call('meetings:list', {}), error: undefined });
      } catch (error) {
        set({ error: isWorkstationError(error) ? error.message : 'Meetings could not be loaded.' });
      }
    },
  }));
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
