import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/create-logger';
import { installCrashHandler } from './crash-handler';
import { createFakeElectron } from './test/fake-electron';

const jwt =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGV4In0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const settle = () => new Promise((resolve) => setImmediate(resolve));

function setup(options: Parameters<typeof createFakeElectron>[0] = {}) {
  const fake = createFakeElectron(options);
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  const events = new EventEmitter();
  const uninstall = installCrashHandler({
    events,
    electron: fake.electron,
    logger,
    logDir: '/home/alex/.config/Workstation/logs',
  });
  return { fake, lines, events, uninstall };
}

describe('the crash handler', () => {
  it('logs every failure, masked, and shows one dialog that opens the log folder', async () => {
    const { fake, lines, events } = setup();
    events.emit('uncaughtException', new Error(`request failed: Bearer ${jwt}`));
    events.emit('unhandledRejection', new Error('second failure'));
    events.emit('uncaughtException', new Error('third failure'));
    await settle();

    expect(lines).toMatchObject([
      {
        level: 60,
        msg: 'uncaught exception',
        err: { message: 'request failed: Bearer [redacted]' },
      },
      { level: 50, msg: 'unhandled promise rejection', err: { message: 'second failure' } },
      { level: 60, msg: 'uncaught exception', err: { message: 'third failure' } },
    ]);
    expect(JSON.stringify(lines)).not.toContain(jwt);
    expect(fake.dialogs).toEqual([
      expect.objectContaining({
        type: 'error',
        message: 'Workstation hit a problem',
        buttons: ['Open log folder', 'Close'],
        cancelId: 1,
      }),
    ]);
    expect(fake.openedPaths).toEqual(['/home/alex/.config/Workstation/logs']);
  });

  it('opens nothing when the user closes the dialog', async () => {
    const { fake, events } = setup({ dialogResponse: 1 });
    events.emit('unhandledRejection', 'a rejected string');
    await settle();
    expect(fake.dialogs).toHaveLength(1);
    expect(fake.openedPaths).toEqual([]);
  });

  it('logs when the folder cannot be opened', async () => {
    const { lines, events } = setup({ openPathFailure: 'No application is associated' });
    events.emit('uncaughtException', new Error('boom'));
    await settle();
    expect(lines.at(-1)).toMatchObject({
      level: 40,
      msg: 'could not open the log folder',
      failure: 'No application is associated',
    });
  });

  it('stops listening once removed', async () => {
    const { fake, events, uninstall } = setup();
    uninstall();
    expect(events.listenerCount('uncaughtException')).toBe(0);
    expect(events.listenerCount('unhandledRejection')).toBe(0);
    await settle();
    expect(fake.dialogs).toEqual([]);
  });
});
