import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The project's Node command lines, by the folder of their bundle under dist/. */
const sources = {
  'web-host': 'src-main/web-host/cli.ts',
  sandbox: 'src-sandbox/cli.ts',
  tokenstore: 'src-tokenstore/cli.ts',
} as const;

export type ProjectCli = keyof typeof sources;

/**
 * The arguments to `node` that run one of the project's command lines from the checkout at `root`:
 * its esbuild bundle (`dist/<cli>/cli.cjs`, built by scripts/build-servers.mjs), so no TypeScript
 * compiler runs, or holds memory, at run time. Development fallback only: when the bundle has not
 * been built, or WORKSTATION_FROM_SOURCE=1 asks for it (the start bench's baseline), the TypeScript
 * source runs through tsx (a dev dependency), compiling at every start. Children inherit the
 * environment, so a whole demo stack runs one way or the other.
 */
export function projectCliArgs(
  root: string,
  cli: ProjectCli,
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
): string[] {
  const bundle = join(root, 'dist', cli, 'cli.cjs');
  if (env.WORKSTATION_FROM_SOURCE !== '1' && exists(bundle)) return [bundle];
  return [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, sources[cli])];
}
