/**
 * `npm run bench:start`: how fast `npm run web` with the embedded demo tenant shows its first page,
 * and how much memory the idle demo stack holds, for the prebuilt bundles (`node
 * dist/web-host/cli.cjs`, what `npm run web` runs) and, side by side in the same run, for the
 * TypeScript sources through tsx (WORKSTATION_FROM_SOURCE=1, how `npm run web` ran before bundles).
 * Each start is a new process tree on a data dir that has started once before (its CA and token
 * store file exist, as on a user's second start). Linux only: memory is read from /proc.
 * Prints a table, then one JSON line with every figure.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processTree, type TreeProcess } from '../../src-node-shared/process-tree';
import { projectCliArgs } from '../../src-node-shared/project-cli';

const root = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.BENCH_START_RUNS ?? 3);
const IDLE_MS = 5_000;
const targets = { firstPageMs: 2_000, idleRssMb: 300 };

type Mode = 'bundle' | 'source';

interface Start {
  readonly firstPageMs: number;
  readonly idleRssMb: number;
  /** The tree's processes at idle, by command (the script each node runs), with their RSS in MB. */
  readonly processes: readonly { command: string; rssMb: number }[];
}

/** GET of the printed address (the access key is in the fragment, which is not sent): 200 with the renderer's HTML. */
function getPage(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(res.statusCode === 200 && body.includes('<div id="root">')));
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

function environment(mode: Mode, dataDir: string): NodeJS.ProcessEnv {
  // No configured tenant (the demo runs), nothing of the caller's Workstation settings.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('WORKSTATION_')),
  );
  return {
    ...env,
    WORKSTATION_DATA_DIR: dataDir,
    WORKSTATION_WEB_PORT: '0',
    ...(mode === 'source' ? { WORKSTATION_FROM_SOURCE: '1' } : {}),
  };
}

function describeCommand(entry: TreeProcess): string {
  const script = entry.args.find((arg) => /\.(c|m)?(j|t)s$/.test(arg) && !arg.includes('/tsx/'));
  const wrapper = entry.args.some((arg) => arg.endsWith('tsx/dist/cli.mjs')) ? 'tsx wrapper ' : '';
  const name = script
    ? `${wrapper}${script.slice(root.length)}`
    : (entry.args[0]?.split('/').pop() ?? '?');
  return name;
}

async function startOnce(mode: Mode, dataDir: string): Promise<Start> {
  const args =
    mode === 'bundle'
      ? projectCliArgs(root, 'web-host', {})
      : projectCliArgs(root, 'web-host', { WORKSTATION_FROM_SOURCE: '1' });
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: environment(mode, dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let tree: TreeProcess[] = [];
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no address after 60 s:\n${output}`)),
        60_000,
      );
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Workstation is running at (http:\/\/\S+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the web host exited with ${code}:\n${output}`));
      });
    });
    while (!(await getPage(url))) {
      if (performance.now() - started > 60_000) throw new Error(`no page at ${url} after 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const firstPageMs = Math.round(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    tree = processTree(child.pid as number);
    const rssMb = (entry: TreeProcess) => Math.round((entry.rssBytes / 2 ** 20) * 10) / 10;
    return {
      firstPageMs,
      idleRssMb: Math.round(tree.reduce((sum, entry) => sum + entry.rssBytes, 0) / 2 ** 20),
      processes: tree.map((entry) => ({ command: describeCommand(entry), rssMb: rssMb(entry) })),
    };
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    // Anything the host did not stop (it stops its demo stack on SIGTERM) is ended here.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const entry of tree.slice(1)) {
      try {
        process.kill(entry.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function main(): Promise<void> {
  if (process.platform !== 'linux')
    throw new Error('bench:start reads process memory from /proc: it runs on Linux only');
  const dirs = {
    bundle: mkdtempSync(join(tmpdir(), 'ws-bench-start-')),
    source: mkdtempSync(join(tmpdir(), 'ws-bench-start-')),
  };
  const modes: Mode[] = ['bundle', 'source'];
  const starts: Record<Mode, Start[]> = { bundle: [], source: [] };
  try {
    // One unmeasured start each: creates the data dir's CA and token store file, warms the disk cache.
    for (const mode of modes) await startOnce(mode, dirs[mode]);
    for (let run = 0; run < RUNS; run += 1) {
      // Interleaved, so both modes see the same machine.
      for (const mode of modes) starts[mode].push(await startOnce(mode, dirs[mode]));
    }
  } finally {
    for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
  }

  const summary = (mode: Mode) => {
    const runs = starts[mode];
    const firstPageMs = median(runs.map((start) => start.firstPageMs));
    const idleRssMb = median(runs.map((start) => start.idleRssMb));
    const at = runs.find((start) => start.idleRssMb === idleRssMb) as Start;
    return {
      firstPageMs,
      idleRssMb,
      runs: runs.map(({ firstPageMs, idleRssMb }) => ({ firstPageMs, idleRssMb })),
      processes: at.processes,
    };
  };
  const start = summary('bundle');
  const startFromSource = summary('source');
  const met = {
    firstPageMs: start.firstPageMs <= targets.firstPageMs,
    idleRssMb: start.idleRssMb < targets.idleRssMb,
  };

  console.log(`\nstart of the web host with the demo tenant, median of ${RUNS}`);
  console.log('mode       first page ms   idle RSS MB   processes');
  for (const [name, figures] of [
    ['bundles', start],
    ['tsx', startFromSource],
  ] as const) {
    console.log(
      `${name.padEnd(10)} ${String(figures.firstPageMs).padStart(13)}   ${String(figures.idleRssMb).padStart(11)}   ${figures.processes.length}`,
    );
    for (const entry of figures.processes)
      console.log(`             ${String(entry.rssMb).padStart(6)} MB  ${entry.command}`);
  }
  console.log(
    `targets: firstPageMs<=${targets.firstPageMs} ${met.firstPageMs ? 'met' : 'MISSED'}  idleRssMb<${targets.idleRssMb} ${met.idleRssMb ? 'met' : 'MISSED'}\n`,
  );
  console.log(
    JSON.stringify({
      bench: 'start',
      runs: RUNS,
      idleMs: IDLE_MS,
      start,
      startFromSource,
      targets,
      met,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
