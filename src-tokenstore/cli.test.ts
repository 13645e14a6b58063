import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureLocalTls } from '../src-dev-tls/local-ca';
import { processTree } from '../src-node-shared/process-tree';
import { projectCliArgs } from '../src-node-shared/project-cli';
import { httpsJson } from './test/https-client';
import { isAlive } from './test/process-alive';

const root = fileURLToPath(new URL('../', import.meta.url));

// `npm run tokenstore` as built (the bundle the global setup builds), in cluster mode.
describe('the token store command line with TOKENSTORE_WORKERS=2', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ws-ts-cli-'));
  const started: number[] = [];
  afterAll(() => {
    for (const pid of started.filter(isAlive)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves from two worker processes, says so once, and stops them all on SIGTERM', async () => {
    const child = spawn(process.execPath, projectCliArgs(root, 'tokenstore'), {
      cwd: root,
      env: {
        ...process.env,
        WORKSTATION_DATA_DIR: dataDir,
        TOKENSTORE_WORKERS: '2',
        TOKENSTORE_ISSUER_TEMPLATE: 'https://login.microsoftonline.com/{tenantid}/v2.0',
        TOKENSTORE_JWKS_URI: 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) resolve();
      });
      void exited.then(() => reject(new Error(`the store exited: ${stderr}`)));
    });
    const tree = processTree(child.pid ?? 0);
    started.push(...tree.map((entry) => entry.pid));
    expect(tree.filter((entry) => entry.ppid === child.pid)).toHaveLength(2);

    const url = /listening at (\S+)/.exec(stdout)?.[1] ?? '';
    const { caCert } = ensureLocalTls(join(dataDir, 'sandbox', 'tls'));
    for (let i = 0; i < 4; i++)
      expect((await httpsJson(`${url}/healthz`, { ca: caCert })).status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);
    expect(stdout.match(/Token store listening at .* \(2 workers\)\n/g)).toHaveLength(1);
    expect(started.filter(isAlive)).toEqual([]);
    // The primary's own lines (workers started) carry its pid, so a reader can tell the processes'
    // lines apart.
    const logged = stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { pid?: number; msg?: string });
    expect(
      logged.filter((line) => /^worker \d+ started/.test(line.msg ?? '')).map((line) => line.pid),
    ).toEqual([child.pid, child.pid]);
  }, 60_000);
});
