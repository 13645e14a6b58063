import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectCliArgs } from '../../src-node-shared/project-cli';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A web host started exactly as `npm run web` starts it, on a free port with a throwaway profile. */
export interface WebHostProcess {
  readonly url: string;
  readonly origin: string;
  readonly dataDir: string;
  /** Everything the process wrote, for assertions about what reaches logs. */
  output(): string;
  stop(): Promise<void>;
}

/** Spawns the web host's bundle (`node dist/web-host/cli.cjs`, built by the test run's global setup) and waits for the URL it prints. */
export async function startWebHostProcess(env: NodeJS.ProcessEnv = {}): Promise<WebHostProcess> {
  const ownsDataDir = env.WORKSTATION_DATA_DIR === undefined;
  const dataDir = env.WORKSTATION_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'ws-e2e-'));
  const child: ChildProcess = spawn(process.execPath, projectCliArgs(root, 'web-host'), {
    cwd: root,
    env: { ...process.env, WORKSTATION_DATA_DIR: dataDir, WORKSTATION_WEB_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${output}`)), 60_000);
    const onData = () => {
      const match = /Workstation is running at (http:\/\/127\.0\.0\.1:\d+\/#k=[A-Za-z0-9_-]+)/.exec(
        output,
      );
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited with ${code}:\n${output}`));
    });
  });

  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
