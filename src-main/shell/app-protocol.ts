import type { CustomScheme } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { APP_ORIGIN, APP_SCHEME, isAppOrigin } from '../../src-shared/app-origin';
import { RENDERER_CSP } from '../web-host/content-security-policy';

/**
 * The renderer is served from `app://workstation/`, not `file://`: a standard, secure scheme gives
 * the page a real origin, so `script-src 'self'` means our renderer folder and nothing else on the
 * disk, and the GrantFileProtocolExtraPrivileges fuse can be turned off.
 * https://www.electronjs.org/docs/latest/tutorial/security#18-avoid-usage-of-the-file-protocol-and-prefer-usage-of-custom-protocols
 *
 * The launcher page, optionally on a fragment (`#settings`).
 */
export function rendererPageUrl(hash?: string): string {
  return `${APP_ORIGIN}/index.html${hash ? `#${hash}` : ''}`;
}

/**
 * Must be registered before `ready`, once: standard (relative URLs and a real origin), secure (a
 * secure context, like https), fetch and the V8 code cache. It does NOT bypass the CSP.
 * https://www.electronjs.org/docs/latest/api/protocol#protocolregisterschemesasprivilegedcustomschemes
 */
export const appSchemePrivileges: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/**
 * The file an `app://workstation/...` URL names, strictly inside `rendererDir`; undefined for any
 * other origin, an undecodable path, a NUL byte, or a path that would leave the folder (`..`,
 * encoded slashes or backslashes).
 */
export function resolveRendererFile(rendererDir: string, raw: string): string | undefined {
  if (!isAppOrigin(raw)) return undefined;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(raw).pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0')) return undefined;
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const root = resolve(rendererDir);
  const file = resolve(root, `.${pathname.replaceAll('\\', '/')}`);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside))
    return undefined;
  return file;
}

/** Content types of what Vite emits into the renderer folder. */
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/**
 * The `protocol.handle` handler: GET (or HEAD) of a file inside the renderer folder, with the
 * renderer's CSP on every answer (webRequest hooks do not see custom-scheme responses, so the
 * header is set here). Anything else is 404 without saying why.
 * https://www.electronjs.org/docs/latest/api/protocol#protocolhandlescheme-handler
 */
export function createRendererHandler(
  rendererDir: string,
  read: (file: string) => Promise<Uint8Array> = readFile,
): (request: Request) => Promise<Response> {
  const headers = (type: string) => ({
    'Content-Type': type,
    'Content-Security-Policy': RENDERER_CSP,
    'X-Content-Type-Options': 'nosniff',
  });
  const notFound = () =>
    new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound();
    const file = resolveRendererFile(rendererDir, request.url);
    const type = file && contentTypes[extname(file).toLowerCase()];
    if (!file || !type) return notFound();
    let body: Uint8Array;
    try {
      body = await read(file);
    } catch {
      return notFound();
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: headers(type),
    });
  };
}
