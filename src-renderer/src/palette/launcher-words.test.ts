import { describe, expect, it } from 'vitest';
import { launcherWords } from './launcher-words';

describe('launcher words', () => {
  it('count results and name each source in trouble once the query is answered', () => {
    const sources = [
      { source: 'a', label: 'Dynamics 365 · contoso', state: 'ok' as const },
      { source: 'b', label: 'Salesforce · sandbox', state: 'needs_reconnect' as const },
    ];
    expect(launcherWords({ home: false, phase: 'done', results: 1, sources })).toEqual({
      summary: '1 result',
      announcement: '1 result. Salesforce · sandbox needs reconnect',
      notices: [],
    });
    expect(launcherWords({ home: false, phase: 'done', results: 0, sources })).toEqual({
      summary: '',
      announcement: '0 results. Salesforce · sandbox needs reconnect',
      notices: [],
    });
    expect(launcherWords({ home: false, phase: 'searching', results: 0, sources: [] })).toEqual({
      summary: 'Searching…',
      announcement: '',
      notices: [],
    });
  });

  it('count open tasks and meetings on the empty box, and say why a widget is empty', () => {
    const words = launcherWords({
      home: true,
      list: {
        groups: [{ key: 'meetings', heading: 'Meetings', items: [] }],
        openTasks: 63,
        shownTasks: 8,
      },
      tasks: { tasks: [], status: { state: 'ok' } },
      meetings: {
        meetings: [],
        allDay: [],
        status: { state: 'not_connected', message: 'Connect Outlook calendar in Settings.' },
      },
    });
    expect(words).toEqual({
      summary: '63 open tasks',
      announcement: '63 open tasks, 0 meetings',
      notices: ['Connect Outlook calendar in Settings.'],
    });
  });

  it('say a reason tasks and meetings share once, not once per widget', () => {
    const message = 'Workstation is not connected to a Microsoft tenant yet.';
    const words = launcherWords({
      home: true,
      list: { groups: [], openTasks: 0, shownTasks: 0 },
      tasks: { tasks: [], status: { state: 'not_connected', message } },
      meetings: { meetings: [], allDay: [], status: { state: 'not_connected', message } },
    });
    expect(words.notices).toEqual([message]);
  });
});
