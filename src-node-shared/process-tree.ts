import { readdirSync, readFileSync } from 'node:fs';

/** One process of a tree, as Linux's /proc describes it. */
export interface TreeProcess {
  readonly pid: number;
  readonly ppid: number;
  /** Its command line, one argument per item. */
  readonly args: readonly string[];
  /** Resident set size in bytes (VmRSS). */
  readonly rssBytes: number;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process exited meanwhile
  }
}

function describe(pid: number): TreeProcess | undefined {
  const stat = read(`/proc/${pid}/stat`);
  const status = read(`/proc/${pid}/status`);
  const cmdline = read(`/proc/${pid}/cmdline`);
  if (stat === undefined || status === undefined || cmdline === undefined) return undefined;
  // proc(5): "pid (comm) state ppid ...", where comm may itself hold spaces and parentheses.
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  const rssKb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
  return { pid, ppid, args: cmdline.split('\0').filter(Boolean), rssBytes: rssKb * 1024 };
}

/**
 * A process and all its descendants, read from /proc (Linux only; see proc(5),
 * https://man7.org/linux/man-pages/man5/proc.5.html). Used to check what the demo stack runs and
 * to sum its memory.
 */
export function processTree(rootPid: number): TreeProcess[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => describe(Number(name)))
    .filter((entry): entry is TreeProcess => entry !== undefined);
  const tree: TreeProcess[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    const found = all.find((entry) => entry.pid === pid);
    if (found) tree.push(found);
    queue.push(...all.filter((entry) => entry.ppid === pid).map((entry) => entry.pid));
  }
  return tree;
}
