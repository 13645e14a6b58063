/**
 * The store a scenario loads: in the bench's own process (so its CPU can be profiled there), or
 * as `store-process.ts` with N workers, as `npm run tokenstore` runs with TOKENSTORE_WORKERS.
 * Either way `cpuUs()` reads only the store's CPU time, and `db` is a connection of the bench's
 * own for seeding.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SqlDriver } from '../../src-tokenstore/db/sql-driver';
import { openDatabase, startTokenStore } from '../../src-tokenstore/start-token-store';
import { cpuUsFromStat } from './proc-cpu';
import {
  storeOptions,
  type StoreProcessConfig,
  type StoreProcessConfigBackend,
} from './store-config';

export interface StoreUnderTest {
  readonly url: string;
  /** The bench's own connection to the store's database (seeding, maintenance). */
  readonly db: SqlDriver;
  /** CPU time (user + system) of the store's processes so far, in microseconds. */
  cpuUs(): number;
  stop(): Promise<void>;
}

type Backend = StoreProcessConfigBackend;

/** The store in this process: `cpuUs` is this process's, so nothing else may run meanwhile. */
export async function storeInProcess(
  config: Omit<StoreProcessConfig, 'workers'>,
): Promise<StoreUnderTest> {
  const store = await startTokenStore(storeOptions(config));
  return {
    url: store.url,
    db: store.db,
    cpuUs: () => {
      const usage = process.cpuUsage();
      return usage.user + usage.system;
    },
    stop: () => store.stop(),
  };
}

function processCpuUs(pid: number): number {
  try {
    return cpuUsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'), 'own');
  } catch {
    return 0; // a worker that exited (the bench then fails on its errors anyway)
  }
}

/** The store as a cluster of `workers` processes; its database opened here too, for seeding. */
export async function storeProcess(config: StoreProcessConfig): Promise<StoreUnderTest> {
  // Migrated here first, so the workers find the schema in place.
  const db = await openDatabase(config.backend as Backend);
  const child = fork(fileURLToPath(new URL('./store-process.ts', import.meta.url)), {
    env: { ...process.env, BENCH_STORE_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ url: string; pids: number[] }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { url: string; pids: number[] }));
    child.once('exit', (code) => reject(new Error(`the store process exited (${code})`)));
  });
  return {
    url: ready.url,
    db,
    cpuUs: () => ready.pids.reduce((sum, pid) => sum + processCpuUs(pid), 0),
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      await exited;
      await db.close();
    },
  };
}
