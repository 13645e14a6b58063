import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger';

const refreshToken =
  '0.AVYA9dO4ZQjs5EyqxIgqEPBvhd8vNbBfFvJOoF4B8qPq0lWvAAA.AgABAAEAAAD--DLA3VO7QrddgJg7WevrAgDs_wUA9P_2kKdT-5Yh2xRkS3qZ';
const authCode = 'M.C507_BAY.2.U.4bd5d3f0-7c5e-5b6f-1a2b-3c4d5e6f7a8b';

/** A logger writing into memory: each entry is one raw JSON line, checked as text and parsed. */
function memoryLogger() {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, lines, last: () => JSON.parse(lines.at(-1) ?? '{}') as Record<string, unknown> };
}

function expectClean(line: string | undefined) {
  expect(line).toBeDefined();
  expect(line).not.toContain(refreshToken);
  expect(line).not.toContain(authCode);
}

describe('createLogger', () => {
  it('masks an error, its cause and the message pino takes from it', () => {
    const { logger, lines, last } = memoryLogger();
    const cause = Object.assign(new Error(`refresh failed: refresh_token=${refreshToken}`), {
      code: 'invalid_grant',
    });
    const error = new Error(`token request failed {"code":"${authCode}"}`, { cause });
    logger.error({ err: error });
    expectClean(lines.at(-1));
    expect(last()).toMatchObject({ err: { cause: { code: 'invalid_grant' } } });
    logger.error(error);
    expectClean(lines.at(-1));
    expect(last().msg).toContain('token request failed');
  });

  it('masks values interpolated into the message and child bindings', () => {
    const { logger, lines } = memoryLogger();
    logger.info('token answer %o', { refresh_token: refreshToken });
    expectClean(lines.at(-1));
    logger.info('callback %s', `https://app.example/cb?code=${authCode}`);
    expectClean(lines.at(-1));
    logger
      .child({ request: { code: authCode } })
      .child({ refreshToken })
      .info('bound');
    expectClean(lines.at(-1));
  });

  it('keeps error codes visible, so a failed search can be diagnosed', () => {
    const { logger, last } = memoryLogger();
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), {
      code: 'ECONNREFUSED',
    });
    logger.warn(
      { err, error: { code: 'needs_reconnect' }, upstream: { code: 'invalid_grant' } },
      'search failed',
    );
    expect(last()).toMatchObject({
      err: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:443' },
      error: { code: 'needs_reconnect' },
      upstream: { code: 'invalid_grant' },
    });
  });
});
