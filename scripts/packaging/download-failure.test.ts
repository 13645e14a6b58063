import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { downloadFailure } from './download-failure';

describe('telling a failed download from another packaging failure', () => {
  it('recognises a connection that was refused, as a real request fails', async () => {
    // A port that was just free and is closed again: nothing listens there.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await fetch(`http://127.0.0.1:${port}/electron-v45.zip`).catch(
      (caught: unknown) => caught,
    );
    expect(downloadFailure(error)).toMatch(/ECONNREFUSED/);
  });

  it('recognises a name that does not resolve, as electron-builder reports it', () => {
    const error = Object.assign(new Error('getaddrinfo ENOTFOUND github.com'), {
      code: 'ENOTFOUND',
    });
    expect(downloadFailure(error)).toBe('getaddrinfo ENOTFOUND github.com');
  });

  it('leaves other failures alone', () => {
    const invalid = Object.assign(new Error('Invalid configuration object'), {
      code: 'ERR_ELECTRON_BUILDER_INVALID_CONFIGURATION',
    });
    expect(downloadFailure(invalid)).toBeUndefined();
    expect(downloadFailure(new Error('ENOENT: no such file, open dist/main/main.cjs'))).toBe(
      undefined,
    );
    expect(downloadFailure(undefined)).toBeUndefined();
  });
});
