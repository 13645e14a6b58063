import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileLogger } from './create-logger';

const jwt =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGV4In0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const refreshToken =
  '0.AVYA9dO4ZQjs5EyqxIgqEPBvhd8vNbBfFvJOoF4B8qPq0lWvAAA.AgABAAEAAAD--DLA3VO7Qrdd';

describe('the log file', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const logDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-log-'));
    dirs.push(dir);
    return join(dir, 'logs');
  };

  it('holds JSON lines masked like stderr, never the token itself', async () => {
    const dir = logDir();
    const { logger, close } = await createFileLogger({ dir, level: 'debug', stderr: false });
    logger.info(`token answer Bearer ${jwt}`);
    logger.debug({ body: { refresh_token: refreshToken } }, 'refreshed');
    await close();

    expect(readdirSync(dir)).toEqual(['workstation.1.log']);
    const text = readFileSync(join(dir, 'workstation.1.log'), 'utf8');
    expect(text).not.toContain(jwt);
    expect(text).not.toContain(refreshToken);
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toMatchObject([
      { app: 'workstation', msg: 'token answer Bearer [redacted]' },
      { msg: 'refreshed', body: { refresh_token: '[redacted]' } },
    ]);
  });

  it('rolls to a new file at the size limit and keeps only the newest ones', async () => {
    const dir = logDir();
    const { logger, close } = await createFileLogger({
      dir,
      level: 'info',
      stderr: false,
      maxSize: '1k',
      keep: 1,
    });
    // About 390 bytes a line: a new file every third line. The roller switches files on the
    // stream's next turn, so each line waits for it.
    for (let index = 0; index < 12; index += 1) {
      logger.info({ index, filler: 'x'.repeat(300) }, 'line');
      await new Promise((resolve) => setImmediate(resolve));
    }
    await close();
    expect(readdirSync(dir).sort()).toEqual(['workstation.4.log', 'workstation.5.log']);
    const newest = readFileSync(join(dir, 'workstation.4.log'), 'utf8');
    expect(newest).toContain('"index":11');
  });
});
