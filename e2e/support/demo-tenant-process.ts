import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectCliArgs } from '../../src-node-shared/project-cli';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The demo tenant's addresses as `npm run sandbox` announces them. */
export interface DemoTenant {
  readonly json: string;
  readonly authority: string;
  readonly tokenStoreUrl: string;
  readonly caPath: string;
  /** The sandbox's fault-knob endpoint (HTTPS with the local CA, 127.0.0.1 only). */
  readonly adminUrl: string;
  readonly dataDir: string;
  /** The SQLite file of the demo's token store. */
  readonly tokenStoreDb: string;
  /** base64 SHA-256 of the server certificate's public key, for Chromium's SPKI allow-list. */
  readonly serverSpki: string;
  stop(): Promise<void>;
}

/** Starts `npm run sandbox`'s bundle (the stand-ins plus the token store) in its own process. */
export async function startDemoTenant(dataDir: string): Promise<DemoTenant> {
  const child: ChildProcess = spawn(process.execPath, projectCliArgs(root, 'sandbox'), {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WORKSTATION_DATA_DIR: dataDir, WORKSTATION_SANDBOX_READY_JSON: '1' },
  });
  let output = '';
  const json = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`demo tenant did not start:\n${output}`)),
      90_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = /SANDBOX_READY (\{.*\})/.exec(output)?.[1];
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`demo tenant exited with ${code}:\n${output}`)));
  });
  const described = JSON.parse(json) as {
    authority: string;
    tokenStoreUrl: string;
    caPath: string;
    adminUrl: string;
  };
  const cert = new X509Certificate(readFileSync(join(dataDir, 'sandbox', 'tls', 'localhost.pem')));
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  return {
    json,
    ...described,
    dataDir,
    tokenStoreDb: join(dataDir, 'tokenstore', 'tokenstore.sqlite'),
    serverSpki: createHash('sha256').update(spki).digest('base64'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
