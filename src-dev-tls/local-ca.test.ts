import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureLocalTls } from './local-ca';

function get(url: string, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ws-ca-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('local CA', () => {
  it('serves HTTPS that verifies against the CA and only against it', async () => {
    const dir = tempDir();
    const tls = ensureLocalTls(dir);
    expect(statSync(join(dir, 'workstation-local-ca.key.pem')).mode & 0o777).toBe(0o600);
    const server = createServer({ cert: tls.serverCert, key: tls.serverKey }, (_req, res) =>
      res.end('hello'),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      await expect(get(`https://127.0.0.1:${port}/`, tls.caCert)).resolves.toEqual({
        status: 200,
        body: 'hello',
      });
      await expect(get(`https://localhost:${port}/`, tls.caCert)).resolves.toMatchObject({
        status: 200,
      });
      // Without the CA the system trust store must refuse it: TLS is never silently disabled.
      await expect(get(`https://127.0.0.1:${port}/`)).rejects.toThrow(
        /self-signed|unable to verify|certificate/i,
      );
    } finally {
      server.close();
    }
  });

  it('reuses what it generated', () => {
    const dir = tempDir();
    const first = ensureLocalTls(dir);
    const second = ensureLocalTls(dir);
    expect(second.caCert).toBe(first.caCert);
    expect(second.serverCert).toBe(first.serverCert);
    expect(readFileSync(first.caPath, 'utf8')).toBe(first.caCert);
  });
});
