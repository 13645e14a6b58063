import { execFile } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';

/** What a program answered. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The operating system as the policy readers see it: files and two programs (`plutil` on macOS,
 * `reg` on Windows). Injected, so tests hand the readers files and recorded program output.
 */
export interface PolicyReaderDeps {
  /** A file's text, or undefined when there is no such file. */
  readonly readText: (path: string) => Promise<string | undefined>;
  readonly exists: (path: string) => Promise<boolean>;
  /** Runs a program without a shell. */
  readonly run: (file: string, args: readonly string[]) => Promise<RunResult>;
  /** For `%VAR%` in REG_EXPAND_SZ values and the Windows folder. */
  readonly env: NodeJS.ProcessEnv;
}

/** The real operating system. */
export const nodePolicyReaderDeps: PolicyReaderDeps = {
  readText: async (path) => {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  },
  exists: (path) =>
    access(path).then(
      () => true,
      () => false,
    ),
  run: (file, args) =>
    new Promise((resolve) => {
      execFile(
        file,
        [...args],
        { windowsHide: true, timeout: 10_000, maxBuffer: 1024 * 1024, encoding: 'utf8' },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          resolve({ code, stdout, stderr: stderr || (error?.message ?? '') });
        },
      );
    }),
  env: process.env,
};
