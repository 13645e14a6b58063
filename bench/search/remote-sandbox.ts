import { fork, type ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { fileURLToPath } from 'node:url';
import type { FaultKnobs, ServiceName } from '../../src-sandbox/start-sandbox';
import type { RequestCounts } from '../../src-sandbox/faults/request-counter';
import type { SandboxProcessOptions, SandboxReady, SandboxRequest } from './sandbox-protocol';

type Ask = SandboxRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never;

/**
 * The sandbox as the bench sees it from outside its process: addresses, the admin endpoint's
 * knobs and counters (over HTTPS), and tokens the sandbox signs (over IPC).
 */
export interface BenchSandbox {
  readonly ready: SandboxReady;
  mintAccessToken(options: { user: string; scope: string; lifetimeSec?: number }): Promise<string>;
  salesforceTokens(user: string): Promise<{ accessToken: string; instanceUrl: string }>;
  setFaults(service: ServiceName, knobs: Partial<FaultKnobs>): Promise<void>;
  counters(): Promise<RequestCounts>;
  resetCounters(): Promise<void>;
  /** The sandbox process's CPU time so far (user + system), in ms. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

function adminCall(ready: SandboxReady, method: 'GET' | 'POST', path: string, body?: unknown) {
  return new Promise<unknown>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const call = request(
      `${ready.adminUrl}${path}`,
      {
        method,
        ca: ready.caCert,
        headers: payload ? { 'content-type': 'application/json' } : {},
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((response.statusCode ?? 0) >= 300)
            reject(new Error(`admin ${method} ${path}: ${response.statusCode} ${text}`));
          else resolve(text ? JSON.parse(text) : undefined);
        });
      },
    );
    call.on('error', reject);
    call.end(payload);
  });
}

/** Forks sandbox-process.ts (under the same tsx loader) and waits until it listens. */
export async function startRemoteSandbox(options: SandboxProcessOptions): Promise<BenchSandbox> {
  const child: ChildProcess = fork(
    fileURLToPath(new URL('./sandbox-process.ts', import.meta.url)),
    [JSON.stringify(options)],
    { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  const ready = await new Promise<SandboxReady>((resolve, reject) => {
    // Before it is ready the start fails; after, every question still waiting does.
    child.once('exit', (code) => {
      const error = new Error(`the sandbox process exited (${code})`);
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
    child.on('message', (raw) => {
      const message = raw as { ready?: SandboxReady; id?: number; value?: unknown; error?: string };
      if (message.ready) return resolve(message.ready);
      const waiter = pending.get(message.id ?? 0);
      pending.delete(message.id ?? 0);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.value);
    });
  });
  const ask = <T>(question: Ask) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: (value) => resolve(value as T), reject });
      child.send({ ...question, id });
    });
  return {
    ready,
    mintAccessToken: (mint) => ask<string>({ op: 'mint', ...mint }),
    salesforceTokens: (user) =>
      ask<{ accessToken: string; instanceUrl: string }>({
        op: 'salesforceTokens',
        environment: 'production',
        user,
      }),
    setFaults: async (service, knobs) =>
      void (await adminCall(ready, 'POST', `/faults/${service}`, knobs)),
    counters: async () => (await adminCall(ready, 'GET', '/counters')) as RequestCounts,
    resetCounters: async () => void (await adminCall(ready, 'POST', '/counters/reset', {})),
    cpuMs: async () => {
      const usage = await ask<{ user: number; system: number }>({ op: 'cpu' });
      return Math.round((usage.user + usage.system) / 1000);
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await ask({ op: 'stop' }).catch(() => undefined);
      await exited;
    },
  };
}
