import { describe, expect, it } from 'vitest';
import type { MeetingList } from '../../../src-shared/domain/meetings';
import type { CrmTask, TaskList } from '../../../src-shared/domain/tasks';
import { workstationError } from '../../../src-shared/errors';
import { createWorkstationClient } from '../bridge/workstation-client';
import { fakeBridge } from '../test-support/fake-bridge';
import { staleNotice } from './last-known';
import { createMeetingsStore } from './meetings-store';
import { createTasksStore } from './tasks-store';

const contoso = { source: 'dynamics:contoso-crm4', label: 'Dynamics 365 · contoso' };
const sandbox = { source: 'salesforce:sandbox', label: 'Salesforce · sandbox' };
const task = (id: string, from: { source: string; label: string }): CrmTask => ({
  id,
  source: from.source,
  sourceLabel: from.label,
  subject: `Call back ${id}`,
  overdue: false,
  priority: 'normal',
  url: 'https://contoso.crm4.dynamics.com/main.aspx',
});
const AT = Date.UTC(2026, 0, 5, 10, 42);

describe('the last tasks and agenda stay visible, with their age, while sources are unreachable', () => {
  it("keeps an unreachable source's last tasks beside the fresh ones, and drops them when it is turned off", async () => {
    let answer: TaskList = {
      tasks: [task('c1', contoso), task('s1', sandbox)],
      status: { state: 'ok', fetchedAt: AT },
      sources: [
        { ...contoso, state: 'ok', fetchedAt: AT },
        { ...sandbox, state: 'ok', fetchedAt: AT },
      ],
    };
    const { bridge } = fakeBridge({ 'tasks:list': () => answer });
    const store = createTasksStore(createWorkstationClient(bridge));
    await store.getState().load();
    answer = {
      tasks: [task('c1', contoso)],
      status: { state: 'ok', fetchedAt: AT + 60_000 },
      sources: [
        { ...contoso, state: 'ok', fetchedAt: AT + 60_000 },
        { ...sandbox, state: 'failed', message: 'Salesforce · sandbox cannot be reached.' },
      ],
    };
    await store.getState().load();
    expect(store.getState().list?.tasks.map((item) => item.id)).toEqual(['c1', 's1']);
    expect(store.getState().stale).toEqual({
      asOf: AT,
      reason: 'Salesforce · sandbox cannot be reached.',
    });
    // Still unreachable a minute later: the kept tasks keep their first age.
    await store.getState().load();
    expect(store.getState().stale?.asOf).toBe(AT);
    expect(staleNotice(store.getState().stale, 'tasks')).toBe(
      `Showing tasks as of ${new Date(AT).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}, the last Workstation could read.`,
    );
    answer = {
      tasks: [task('c1', contoso)],
      status: { state: 'ok', fetchedAt: AT + 120_000 },
      sources: [
        { ...contoso, state: 'ok', fetchedAt: AT + 120_000 },
        {
          ...sandbox,
          state: 'not_enabled',
          message: 'Your organisation has turned off Salesforce.',
        },
      ],
    };
    await store.getState().load();
    expect(store.getState().list?.tasks.map((item) => item.id)).toEqual(['c1']);
    expect(store.getState().stale).toBeUndefined();
  });

  it('keeps the tasks when Workstation itself cannot be reached', async () => {
    let down = false;
    const { bridge } = fakeBridge({
      'tasks:list': () =>
        down
          ? workstationError('unavailable', 'Workstation is not answering.')
          : {
              tasks: [task('c1', contoso)],
              status: { state: 'ok', fetchedAt: AT },
              sources: [{ ...contoso, state: 'ok', fetchedAt: AT }],
            },
    });
    const store = createTasksStore(createWorkstationClient(bridge));
    await store.getState().load();
    down = true;
    await store.getState().load();
    expect(store.getState().list?.tasks).toHaveLength(1);
    expect(store.getState().error).toBeUndefined();
    expect(store.getState().stale).toEqual({
      asOf: AT,
      reason: 'Workstation cannot reach your CRM right now.',
    });
  });

  it('keeps the last agenda when no calendar answers, and says how old it is', async () => {
    const meeting = {
      id: 'm1',
      subject: 'Contoso renewal',
      start: new Date(AT + 3_600_000).toISOString(),
      end: new Date(AT + 5_400_000).toISOString(),
      isAllDay: false,
    };
    let answer: MeetingList = {
      meetings: [meeting],
      allDay: [],
      status: { state: 'ok', fetchedAt: AT },
    };
    const { bridge } = fakeBridge({ 'meetings:list': () => answer });
    const store = createMeetingsStore(createWorkstationClient(bridge));
    await store.getState().load();
    answer = {
      meetings: [],
      allDay: [],
      status: { state: 'failed', message: 'Outlook cannot be reached.' },
    };
    await store.getState().load();
    expect(store.getState().list?.meetings).toEqual([meeting]);
    expect(store.getState().stale).toEqual({ asOf: AT, reason: 'Outlook cannot be reached.' });
    answer = { meetings: [], allDay: [], status: { state: 'ok', fetchedAt: AT + 60_000 } };
    await store.getState().load();
    expect(store.getState().list?.meetings).toEqual([]);
    expect(store.getState().stale).toBeUndefined();
  });
});

describe('widgets follow the integrations', () => {
  it('loads the tasks again when an integration is turned off, not on every repeat of the same list', async () => {
    let calls = 0;
    const { bridge, emit } = fakeBridge({
      'tasks:list': () => (
        (calls += 1),
        { tasks: [], status: { state: 'ok' as const, fetchedAt: AT } }
      ),
    });
    const store = createTasksStore(createWorkstationClient(bridge));
    await store.getState().load();
    const card = (availability: 'available' | 'unavailable') => ({
      integrations: [
        {
          id: 'dynamics' as const,
          name: 'Dynamics 365',
          description: '',
          capabilities: ['search' as const, 'tasks' as const],
          availability,
          connections: [],
        },
      ],
    });
    emit('integrations:didChange', card('available'));
    emit('integrations:didChange', card('available'));
    await Promise.resolve();
    expect(calls).toBe(2);
    emit('integrations:didChange', card('unavailable'));
    await Promise.resolve();
    expect(calls).toBe(3);
  });
});
