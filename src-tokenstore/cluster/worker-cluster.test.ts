import cluster from 'node:cluster';
import { get } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWorkerCluster, WorkerStartFailed, type WorkerCluster } from './worker-cluster';
import { isAlive } from '../test/process-alive';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The pid (and tag) of the worker answering one request on a connection of its own. */
function whoAnswers(url: string): Promise<{ pid: number; tag?: string }> {
  return new Promise((resolve, reject) => {
    // agent: false opens a fresh connection, which the primary hands to the next worker.
    get(url, { agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve(JSON.parse(body) as { pid: number; tag?: string }));
    }).on('error', reject);
  });
}

async function pidsAnswering(url: string, requests: number): Promise<number[]> {
  const pids = new Set<number>();
  for (let i = 0; i < requests; i++) pids.add((await whoAnswers(url)).pid);
  return [...pids].sort((a, b) => a - b);
}

describe('startWorkerCluster: several processes serving one port', () => {
  const lines: string[] = [];
  let running: WorkerCluster | undefined;

  beforeAll(() => {
    // The test process is the primary, so it names the script to fork instead of itself
    // (https://nodejs.org/api/cluster.html#clustersetupprimarysettings). tsx's loader is imported in
    // each worker rather than run through its command line (as src-node-shared/project-cli.ts
    // does), which would run the fixture in a grandchild that is no cluster worker.
    cluster.setupPrimary({
      exec: fileURLToPath(new URL('./test/pid-server-fixture.ts', import.meta.url)),
      execArgv: ['--import', pathToFileURL(`${root}node_modules/tsx/dist/loader.mjs`).href],
    });
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    lines.length = 0;
  });

  it('serves from every worker on one port, restarts a killed one and stops them all', async () => {
    running = await startWorkerCluster({
      workers: 2,
      log: (line) => lines.push(line),
      env: { PID_SERVER_TAG: 'from-the-primary' },
      restartDelayMs: 100,
    });
    const workers = running;
    expect(workers.pids()).toHaveLength(2);
    const [first = 0, second = 0] = workers.pids();
    // Each worker listened on port 0: were the socket not shared they would sit on two ports and
    // only the first would answer at the first's URL.
    expect(await pidsAnswering(workers.url, 10)).toEqual([first, second].sort((a, b) => a - b));
    expect((await whoAnswers(workers.url)).tag).toBe('from-the-primary');

    process.kill(second, 'SIGKILL');
    await vi.waitFor(() => expect(workers.pids()).toEqual([first]));
    expect(await pidsAnswering(workers.url, 4)).toEqual([first]);
    const replacement = await vi.waitFor(
      async () => {
        const [, restarted = 0] = workers.pids();
        expect(restarted).not.toBe(0);
        expect(await pidsAnswering(workers.url, 4)).toContain(restarted);
        return restarted;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(await pidsAnswering(workers.url, 10)).toEqual(
      [first, replacement].sort((a, b) => a - b),
    );
    expect(lines).toContain(`worker ${replacement} started in place of worker ${second}`);

    await workers.stop();
    expect(workers.pids()).toEqual([]);
    expect([first, second, replacement].filter(isAlive)).toEqual([]);
    expect(lines.filter((line) => line.includes('restarting'))).toHaveLength(1);
  });

  it('rejects with WorkerStartFailed when the first worker exits before it is ready', async () => {
    const failing = startWorkerCluster({
      workers: 2,
      log: (line) => lines.push(line),
      env: { PID_SERVER_FAIL: '1' },
      restartDelayMs: 100,
    });
    await expect(failing).rejects.toBeInstanceOf(WorkerStartFailed);
    await expect(failing).rejects.toMatchObject({ code: 'worker_start_failed', exitCode: 1 });
    // Neither a second worker nor a restart.
    expect(lines.filter((line) => line.includes('started'))).toHaveLength(1);
    expect(Object.keys(cluster.workers ?? {})).toEqual([]);
  });

  it('kills a worker still running stopTimeoutMs after SIGTERM, so stop always ends', async () => {
    const stuck = await startWorkerCluster({
      workers: 1,
      log: (line) => lines.push(line),
      env: { PID_SERVER_STUCK: '1' },
      stopTimeoutMs: 300,
    });
    const [pid = 0] = stuck.pids();
    await stuck.stop();
    expect(isAlive(pid)).toBe(false);
    expect(lines).toContain(`worker ${pid} did not exit 300 ms after SIGTERM; killing it`);
  });
});
