import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { WorkstationClient } from '../bridge/workstation-client';
import { OpenLogsRow, openLogsNote } from './open-logs-row';

const client: WorkstationClient = {
  call: () => Promise.reject(new Error('not called')),
  on: () => () => undefined,
};

describe('the Open logs row', () => {
  it('offers the button in the desktop app and explains the web host has none', () => {
    expect(renderToStaticMarkup(<OpenLogsRow client={client} host="electron" />)).toContain(
      '<button type="button">Open logs</button>',
    );
    const web = renderToStaticMarkup(<OpenLogsRow client={client} host="web" />);
    expect(web).not.toContain('<button');
    expect(web).toContain('the log is in the terminal');
    expect(renderToStaticMarkup(<OpenLogsRow client={client} host={undefined} />)).toBe('');
  });

  it('says where the logs are when the folder could not be opened', () => {
    expect(openLogsNote({ opened: true, path: '/home/alex/.config/Workstation/logs' })).toBe(
      undefined,
    );
    expect(
      openLogsNote({ opened: false, path: 'C:\\Users\\alex\\AppData\\Workstation\\logs' }),
    ).toBe(
      'The folder could not be opened. The logs are in C:\\Users\\alex\\AppData\\Workstation\\logs.',
    );
  });
});
