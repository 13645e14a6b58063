import cluster, { type Worker } from 'node:cluster';
import { z } from 'zod';

export interface WorkerClusterOptions {
  /** Worker processes to run (>= 1). */
  readonly workers: number;
  /** One line per event (worker started / exited / restarted); the CLI passes its masked logger. */
  readonly log: (message: string) => void;
  /** Environment added to each worker's (default none). */
  readonly env?: Readonly<Record<string, string>>;
  /** Wait before restarting a worker that exited unexpectedly (default 1000 ms). */
  readonly restartDelayMs?: number;
  /** How long `stop` lets a worker close after SIGTERM before it kills it (default 10,000 ms). */
  readonly stopTimeoutMs?: number;
}

export interface WorkerCluster {
  /** The origin the workers serve (from the first worker's ready message). */
  readonly url: string;
  /** The live workers' process ids. */
  pids(): number[];
  /**
   * Stops every worker (SIGTERM, each closes its server and database; SIGKILL for one still running
   * after `stopTimeoutMs`) and resolves once all exited.
   */
  stop(): Promise<void>;
}

/** The first worker exited before it was ready: the store cannot start (its own error went to stderr). */
export class WorkerStartFailed extends Error {
  readonly code = 'worker_start_failed';
  constructor(
    readonly exitCode: number | null,
    readonly signal: string | null,
  ) {
    super(`its first worker exited before it was ready (${exitDescription(exitCode, signal)})`);
    this.name = 'WorkerStartFailed';
  }
}

// The one message a worker sends; checked, as everything crossing a process boundary is.
const readyMessageSchema = z.object({
  type: z.literal('tokenstore-worker-ready'),
  url: z.string().url(),
});

function exitDescription(code: number | null, signal: string | null): string {
  return signal ? `signal ${signal}` : `exit code ${String(code)}`;
}

/** Settles with the worker's URL once it reports ready, or with its exit if that comes first. */
function readyOrExit(
  worker: Worker,
): Promise<{ url: string } | { code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      const ready = readyMessageSchema.safeParse(message);
      if (!ready.success) return;
      worker.off('exit', onExit);
      worker.off('message', onMessage);
      resolve({ url: ready.data.url });
    };
    const onExit = (code: number | null, signal: string | null) => {
      worker.off('message', onMessage);
      resolve({ code, signal });
    };
    worker.on('message', onMessage);
    worker.once('exit', onExit);
  });
}

/** In the primary: forks `workers` copies of the current script with node:cluster. The first is forked alone and awaited until ready (it runs the database migrations), then the rest; a worker that exits unexpectedly is restarted after restartDelayMs; rejects with a typed error if the first worker exits before it is ready. */
export async function startWorkerCluster(options: WorkerClusterOptions): Promise<WorkerCluster> {
  const restartDelayMs = options.restartDelayMs ?? 1000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const live = new Set<Worker>();
  const restarts = new Set<NodeJS.Timeout>();
  let stopping: Promise<void> | undefined;
  // Until the first worker is ready an exit means the store cannot start: no restart.
  let started = false;

  // node:cluster forks `process.argv[1]` with `process.execArgv` (so also under tsx), unless
  // cluster.setupPrimary named another script (https://nodejs.org/api/cluster.html#clustersetupprimarysettings).
  // Workers listening on one port, also port 0, share the primary's socket
  // (https://nodejs.org/api/cluster.html#how-it-works).
  const fork = (replacing?: number): Worker => {
    const worker = cluster.fork({ ...options.env });
    const pid = worker.process.pid ?? 0;
    live.add(worker);
    options.log(
      replacing === undefined
        ? `worker ${pid} started`
        : `worker ${pid} started in place of worker ${replacing}`,
    );
    worker.once('exit', (code: number | null, signal: string | null) => {
      live.delete(worker);
      if (stopping) return;
      if (!started) {
        options.log(`worker ${pid} exited before it was ready (${exitDescription(code, signal)})`);
        return;
      }
      options.log(
        `worker ${pid} exited (${exitDescription(code, signal)}); restarting in ${restartDelayMs} ms`,
      );
      const timer = setTimeout(() => {
        restarts.delete(timer);
        fork(pid);
      }, restartDelayMs);
      restarts.add(timer);
    });
    return worker;
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const timer of restarts) clearTimeout(timer);
      restarts.clear();
      // SIGTERM, not worker.kill(): that disconnects first, and a worker's own SIGTERM handler is
      // what closes its server and database.
      const exits = [...live].map(
        (worker) =>
          new Promise<void>((resolve) => {
            // A worker stuck closing (a database that no longer answers, say) must not keep the
            // store from stopping: a service manager would otherwise wait for its own kill timeout.
            const kill = setTimeout(() => {
              options.log(
                `worker ${worker.process.pid} did not exit ${stopTimeoutMs} ms after SIGTERM; killing it`,
              );
              worker.process.kill('SIGKILL');
            }, stopTimeoutMs);
            worker.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
          }),
      );
      for (const worker of live) worker.process.kill('SIGTERM');
      await Promise.all(exits);
    })();
    return stopping;
  };

  // Alone: it creates and migrates the database the others then open.
  const first = await readyOrExit(fork());
  if (!('url' in first)) {
    await stop();
    throw new WorkerStartFailed(first.code, first.signal);
  }
  started = true;
  // The rest start together; one that exits first is restarted like any other.
  await Promise.all(Array.from({ length: options.workers - 1 }, () => readyOrExit(fork())));
  return {
    url: first.url,
    pids: () => [...live].map((worker) => worker.process.pid ?? 0),
    stop,
  };
}

/** In a worker: tells the primary it serves at `url` (a no-op outside a cluster worker). */
export function reportWorkerReady(url: string): void {
  const message: z.infer<typeof readyMessageSchema> = { type: 'tokenstore-worker-ready', url };
  if (cluster.isWorker) process.send?.(message);
}

/** Whether this process is a cluster worker. */
export function isClusterWorker(): boolean {
  return cluster.isWorker;
}
