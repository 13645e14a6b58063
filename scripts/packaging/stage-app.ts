import { execFile } from 'node:child_process';
import { copyFile, cp, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What electron-builder reads from the project besides the built app. */
const projectFiles = ['package.json', 'package-lock.json', 'electron-builder.yml'];

/**
 * Copies the project's packaging inputs to `stageDir` and builds main, the preload and the
 * renderer into `stageDir/dist` exactly as `npm run build` does (same scripts, same config), so a
 * check can package the app without touching the checkout's dist/ (other tests read it).
 * node_modules is linked, not copied: electron-builder picks the app's dependencies from it.
 */
export async function stageApp(root: string, stageDir: string): Promise<void> {
  await mkdir(stageDir, { recursive: true });
  for (const file of projectFiles) await copyFile(join(root, file), join(stageDir, file));
  await cp(join(root, 'assets'), join(stageDir, 'assets'), { recursive: true });
  await symlink(join(root, 'node_modules'), join(stageDir, 'node_modules'), 'dir');
  const dist = join(stageDir, 'dist');
  // As `npm run build` runs: a test runner's NODE_ENV=test would make vite bundle React's
  // development build.
  const env = { ...process.env };
  delete env.NODE_ENV;
  await run(process.execPath, [join(root, 'scripts', 'build-main.mjs'), '--outdir', dist], {
    cwd: root,
    env,
  });
  await run(
    process.execPath,
    [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--logLevel',
      'warn',
      '--outDir',
      join(dist, 'renderer'),
      '--emptyOutDir',
    ],
    { cwd: root, env },
  );
}
