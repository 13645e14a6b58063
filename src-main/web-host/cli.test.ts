import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { projectCliArgs } from '../../src-node-shared/project-cli';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Processes still running with `dataDir` in their environment (Linux's /proc; CI runs on Linux). */
function processesUsing(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8')
          .split('\0')
          .some((variable) => variable.startsWith(`WORKSTATION_DATA_DIR=${dataDir}`));
      } catch {
        return false; // exited meanwhile, or not ours
      }
    })
    .map(Number);
}

// `npm run web` as built (the bundle the global setup builds), failing after the demo tenant started.
describe('the web host command line', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ws-web-cli-'));
  let busy: Server | undefined;
  afterAll(() => {
    for (const pid of processesUsing(dataDir)) process.kill(pid, 'SIGKILL');
    busy?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops the demo tenant it started when it cannot start itself, leaving no process behind', async () => {
    // A port already taken: the host fails to listen once the demo tenant is up.
    busy = createServer();
    const port = await new Promise<number>((resolve) =>
      busy?.listen(0, '127.0.0.1', () => {
        const address = busy?.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      }),
    );
    const child = spawn(process.execPath, projectCliArgs(root, 'web-host'), {
      cwd: root,
      env: { ...process.env, WORKSTATION_DATA_DIR: dataDir, WORKSTATION_WEB_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(1);
    // The port is taken; where the renderer is not built yet (a fresh clone's unit run) the host
    // fails on that first. Either way it fails after the demo tenant started, which is the point.
    expect(output).toMatch(/Workstation could not start: .*(EADDRINUSE|renderer is not built)/);
    expect(processesUsing(dataDir)).toEqual([]);
  }, 60_000);
});
