// `npm start`: runs the Electron app; where Electron's binary cannot be had (offline machine,
// locked-down CI), says so in one line and serves the same app through the web host instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

function tryDownload() {
  // Electron 45 fetches its binary on first run rather than at install.
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return result.status === 0;
}

function run(command, args, env = process.env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

let binary = electronBinary();
if (!binary && tryDownload()) binary = electronBinary();

if (binary) {
  run(binary, [root]);
} else {
  console.log(
    "Electron's binary could not be downloaded (offline or blocked): serving Workstation in your browser instead.",
  );
  // The web host's bundle, built by `npm run build` like main's.
  run(process.execPath, [join(root, 'dist', 'web-host', 'cli.cjs')]);
}
