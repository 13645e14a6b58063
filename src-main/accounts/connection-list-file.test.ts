import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionListFile, type ConnectionEntry } from './connection-list-file';

const entry = (connectionId: string): ConnectionEntry => ({
  integration: 'dynamics',
  connectionId,
  label: connectionId,
  origin: `https://${connectionId}.crm4.dynamics.com`,
});
const ALEX = 'tenant-1:alex';
const MEGAN = 'tenant-1:megan';

describe('ConnectionListFile', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const file = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-list-'));
    dirs.push(dir);
    return join(dir, 'connections.json');
  };

  it('keeps each signed-in user their own connections on a shared device', async () => {
    const path = file();
    const list = new ConnectionListFile(path);
    await list.write([entry('contoso')], ALEX);
    await list.write([entry('fabrikam')], MEGAN);
    expect(await list.read(ALEX)).toEqual([entry('contoso')]);
    expect(await list.read(MEGAN)).toEqual([entry('fabrikam')]);
    expect(await list.read('tenant-1:someone-else')).toEqual([]);
    // Ids, org names and hosts only: never a token.
    expect(readFileSync(path, 'utf8')).not.toMatch(/eyJ|token/i);
  });

  it('gives a list from before users were told apart to the first user who reads it, once', async () => {
    const path = file();
    writeFileSync(path, JSON.stringify({ connections: [entry('contoso')] }));
    const list = new ConnectionListFile(path);
    expect(await list.read(ALEX)).toEqual([entry('contoso')]);
    await list.write([entry('contoso')], ALEX);
    expect(await list.read(MEGAN)).toEqual([]);
  });
});
