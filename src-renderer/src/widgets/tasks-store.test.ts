import { describe, expect, it } from 'vitest';
import type { CrmTask, TaskList, WidgetSource } from '../../../src-shared/domain/tasks';
import { workstationError } from '../../../src-shared/errors';
import { createWorkstationClient } from '../bridge/workstation-client';
import { fakeBridge } from '../test-support/fake-bridge';
import { createTasksStore, showsSourceLabels, taskNotices } from './tasks-store';

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
const ok = (from: { source: string; label: string }): WidgetSource => ({ ...from, state: 'ok' });

/** Contoso answered with two tasks; the Salesforce sandbox needs a new sign-in. */
const mixed: TaskList = {
  tasks: [task('t1', contoso), task('t2', contoso)],
  status: { state: 'ok' },
  sources: [
    ok(contoso),
    {
      ...sandbox,
      state: 'needs_reconnect',
      message: 'Your Salesforce session ended. Reconnect in Settings.',
    },
  ],
};

describe('tasks store', () => {
  it("keeps one source's problem beside the tasks of the sources that answered", async () => {
    const { bridge } = fakeBridge({ 'tasks:list': () => mixed });
    const store = createTasksStore(createWorkstationClient(bridge));

    await store.getState().load();

    expect(store.getState().list?.tasks.map((item) => item.id)).toEqual(['t1', 't2']);
    expect(taskNotices(store.getState().list)).toEqual([
      'Salesforce · sandbox: Your Salesforce session ended. Reconnect in Settings.',
    ]);
  });

  it('keeps the per-source problems when a task is completed, and when completing it fails', async () => {
    let refuse = false;
    const { bridge } = fakeBridge({
      'tasks:list': () => mixed,
      'tasks:complete': () =>
        refuse
          ? workstationError('upstream_failed', 'The CRM did not answer.')
          : { completed: true },
    });
    const store = createTasksStore(createWorkstationClient(bridge));
    await store.getState().load();

    await store.getState().complete('t1');
    expect(store.getState().list?.tasks.map((item) => item.id)).toEqual(['t2']);
    expect(taskNotices(store.getState().list)).toHaveLength(1);

    refuse = true;
    await store.getState().complete('t2');
    expect(store.getState()).toMatchObject({ error: 'The CRM did not answer.' });
    expect(store.getState().list?.tasks.map((item) => item.id)).toEqual(['t2']);
    expect(store.getState().list?.sources).toEqual(mixed.sources);
  });

  it('says each source’s own message, or "failed" / "not connected" when it has none', () => {
    const list: TaskList = {
      tasks: [],
      status: { state: 'failed', message: 'No CRM answered.' },
      sources: [
        { ...contoso, state: 'failed', message: 'Dynamics did not answer in time.' },
        { ...sandbox, state: 'not_connected' },
      ],
    };
    expect(taskNotices(list)).toEqual([
      'Dynamics 365 · contoso: Dynamics did not answer in time.',
      'Salesforce · sandbox: not connected',
    ]);
  });

  it('keeps the overall message when no CRM is connected', () => {
    const list: TaskList = {
      tasks: [],
      status: { state: 'not_connected', message: 'Connect a CRM in Settings to see your tasks.' },
      sources: [],
    };
    expect(taskNotices(list)).toEqual(['Connect a CRM in Settings to see your tasks.']);
  });

  it('shows the overall problem when main sent no per-source detail, and nothing when all is well', () => {
    expect(
      taskNotices({
        tasks: [],
        status: { state: 'needs_reconnect', message: 'Extra verification needed.' },
      }),
    ).toEqual(['Extra verification needed.']);
    expect(
      taskNotices({
        tasks: [task('t1', contoso)],
        status: { state: 'ok' },
        sources: [ok(contoso), ok(sandbox)],
      }),
    ).toEqual([]);
    expect(taskNotices(undefined)).toEqual([]);
  });

  it("labels tasks with their source only when the list holds more than one source's tasks", () => {
    expect(showsSourceLabels(mixed)).toBe(false);
    expect(showsSourceLabels({ ...mixed, tasks: [task('t1', contoso), task('t3', sandbox)] })).toBe(
      true,
    );
    expect(showsSourceLabels(undefined)).toBe(false);
  });
});
