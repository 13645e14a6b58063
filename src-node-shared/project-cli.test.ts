import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectCliArgs } from './project-cli';

const root = '/checkout';
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

describe('projectCliArgs: how a command line of the project is run with node', () => {
  it('runs the built bundle when there is one, with no TypeScript compiler', () => {
    const built = (path: string) => path.endsWith('.cjs');
    expect(projectCliArgs(root, 'web-host', {}, built)).toEqual([
      join(root, 'dist/web-host/cli.cjs'),
    ]);
    expect(projectCliArgs(root, 'sandbox', {}, built)).toEqual([
      join(root, 'dist/sandbox/cli.cjs'),
    ]);
    expect(projectCliArgs(root, 'tokenstore', {}, built)).toEqual([
      join(root, 'dist/tokenstore/cli.cjs'),
    ]);
  });

  it('falls back to the TypeScript source through tsx when the bundle has not been built', () => {
    expect(projectCliArgs(root, 'sandbox', {}, () => false)).toEqual([
      tsx,
      join(root, 'src-sandbox/cli.ts'),
    ]);
    expect(projectCliArgs(root, 'tokenstore', {}, () => false)).toEqual([
      tsx,
      join(root, 'src-tokenstore/cli.ts'),
    ]);
  });

  it('runs the source when WORKSTATION_FROM_SOURCE=1 asks for it, built or not', () => {
    expect(projectCliArgs(root, 'web-host', { WORKSTATION_FROM_SOURCE: '1' }, () => true)).toEqual([
      tsx,
      join(root, 'src-main/web-host/cli.ts'),
    ]);
  });
});
