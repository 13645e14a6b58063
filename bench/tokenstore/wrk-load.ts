/**
 * Load from wrk (https://github.com/wg/wrk, Debian's `wrk` package), a C load generator with one
 * event loop per thread. On a 2-core machine the load generator shares the cores with the server
 * under test: autocannon, in Node, spent 185-240 us of CPU per request on the 1,000-user targets
 * (its per-request setup rebuilds and deep-clones each request) against 50-60 us for wrk, so with
 * autocannon a third of the machine went to the client and the figures measured it as much as the
 * store. `run.ts` falls back to autocannon (load.mjs) where wrk is not installed, and says which
 * one it used.
 */
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cpuUsFromStat } from './proc-cpu';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./wrk-load.lua', import.meta.url));

/** Whether `wrk` can be run here. */
export function wrkAvailable(): boolean {
  return spawnSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' }).status === 0;
}

export interface WrkFigures {
  readonly requestsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly total: number;
  /** wrk's own CPU time (user + system) per request. */
  readonly clientCpuUsPerRequest: number;
}

export interface WrkOptions {
  readonly connections: number;
  readonly durationSec: number;
  /** `[{path, authorization}]`, sent round-robin (each connection takes the next). */
  readonly targets?: readonly { path: string; authorization: string }[];
  /** Mean think time per connection between an answer and its next request (exponential). */
  readonly thinkMs?: number;
}

/** Writes `targets` once as the tab-separated file the Lua script reads; answers its path. */
export function writeWrkTargets(
  file: string,
  targets: readonly { path: string; authorization: string }[],
): string {
  writeFileSync(file, targets.map((t) => `${t.path}\t${t.authorization}`).join('\n'));
  return file;
}

/**
 * Runs wrk (one thread, so the client stays within one core) against `url`; `targetsFile` from
 * `writeWrkTargets`. wrk's CPU time comes from the shell that waited for it (cutime/cstime of
 * /proc/<shell>/stat, the CPU of its waited-for children).
 */
export async function loadWithWrk(
  url: string,
  options: Omit<WrkOptions, 'targets'> & { targetsFile?: string },
): Promise<WrkFigures> {
  const args = [
    '-t1',
    `-c${options.connections}`,
    `-d${options.durationSec}s`,
    '--timeout',
    '10s',
    '-s',
    script,
    url,
    '--',
    options.targetsFile ?? '-',
    String(options.thinkMs ?? 0),
  ];
  const { stdout } = await run(
    'sh',
    ['-c', 'wrk "$@"; status=$?; cat /proc/$$/stat; exit $status', 'sh', ...args],
    { maxBuffer: 1 << 20 },
  );
  const lines = stdout.trim().split('\n');
  const summary = JSON.parse(lines.find((line) => line.startsWith('{"requests"')) ?? 'null') as {
    requests: number;
    durationUs: number;
    p50Us: number;
    p99Us: number;
    non2xx: number;
    errors: number;
  } | null;
  if (!summary) throw new Error(`wrk printed no summary:\n${stdout}`);
  const clientCpuUs = cpuUsFromStat(lines.at(-1) ?? '', 'waitedChildren');
  return {
    requestsPerSec: (summary.requests * 1e6) / summary.durationUs,
    p50Ms: summary.p50Us / 1000,
    p99Ms: summary.p99Us / 1000,
    non2xx: summary.non2xx,
    errors: summary.errors,
    total: summary.requests,
    clientCpuUsPerRequest: summary.requests > 0 ? Math.round(clientCpuUs / summary.requests) : 0,
  };
}
