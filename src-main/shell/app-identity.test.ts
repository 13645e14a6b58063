import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_USER_MODEL_ID } from './app-identity';

describe('app identity', () => {
  it("is electron-builder's appId, so Windows shows the app's notifications", () => {
    const config = readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8');
    expect(/^appId:\s*(\S+)\s*$/m.exec(config)?.[1]).toBe(APP_USER_MODEL_ID);
  });
});
