import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../web-host/content-security-policy';
import { isAppOrigin } from '../../src-shared/app-origin';
import {
  appSchemePrivileges,
  createRendererHandler,
  rendererPageUrl,
  resolveRendererFile,
} from './app-protocol';

// A real folder: the renderer inside, a secret beside it that no URL may reach.
const root = mkdtempSync(join(tmpdir(), 'ws-protocol-'));
const rendererDir = join(root, 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Workstation</title>');
writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
writeFileSync(join(rendererDir, 'assets', 'notes.txt'), 'no type for this');
writeFileSync(join(root, 'secret.json'), '{"secret":true}');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const handler = createRendererHandler(rendererDir);
const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

describe('app:// protocol', () => {
  it('is a standard, secure scheme that does not bypass the CSP', () => {
    expect(appSchemePrivileges).toEqual({
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    });
    expect(rendererPageUrl()).toBe('app://workstation/index.html');
    expect(rendererPageUrl('settings')).toBe('app://workstation/index.html#settings');
  });

  it('compares origins, not file paths', () => {
    expect(isAppOrigin('app://workstation/index.html#settings')).toBe(true);
    expect(isAppOrigin('app://workstation/assets/x.js')).toBe(true);
    expect(isAppOrigin('app://evil/index.html')).toBe(false);
    expect(isAppOrigin('file:///app/dist/renderer/index.html')).toBe(false);
    expect(isAppOrigin('https://workstation/index.html')).toBe(false);
    expect(isAppOrigin('not a url')).toBe(false);
  });

  it('serves the renderer files with their type and the renderer CSP', async () => {
    const page = await get('app://workstation/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Workstation</title>');

    const script = await get('app://workstation/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');

    expect(await (await get('app://workstation/')).text()).toContain('Workstation');
    const head = await get('app://workstation/index.html', 'HEAD');
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it.each([
    'app://workstation/../secret.json',
    'app://workstation/%2e%2e/secret.json',
    'app://workstation/..%2Fsecret.json',
    'app://workstation/assets/..%2F..%2Fsecret.json',
    'app://workstation/..%5Csecret.json',
    'app://workstation/%2Fetc%2Fpasswd',
    'app://workstation/index.html%00.js',
    'app://workstation/%E0%A4%A',
    'app://other/index.html',
    'file:///etc/passwd',
  ])('refuses %s (path traversal, other origins)', async (url) => {
    const answer = await get(url);
    expect(answer.status).toBe(404);
    expect(await answer.text()).toBe('Not found');
    expect(answer.headers.get('content-security-policy')).toBe(RENDERER_CSP);
  });

  it('resolves only inside the renderer folder', () => {
    expect(resolveRendererFile(rendererDir, 'app://workstation/assets/index-abc.js')).toBe(
      join(rendererDir, 'assets', 'index-abc.js'),
    );
    expect(resolveRendererFile(rendererDir, 'app://workstation/..%2Fsecret.json')).toBeUndefined();
    expect(resolveRendererFile(rendererDir, 'app://workstation/..%5Csecret.json')).toBeUndefined();
  });

  it('answers 404 for missing files, unknown types and other methods', async () => {
    expect((await get('app://workstation/missing.js')).status).toBe(404);
    expect((await get('app://workstation/assets/notes.txt')).status).toBe(404);
    expect((await get('app://workstation/index.html', 'POST')).status).toBe(404);
  });
});
