import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { methodChannels } from '../../src-shared/channels';
import { settingsPatchSchema } from '../../src-shared/domain/settings';
import { errorDataSchema } from '../../src-shared/errors';
import { createAppServices, type AppServices } from '../app/create-app-services';
import { loadAppConfig } from '../config/load-app-config';
import { send, type RawRequest } from './test/raw-http';
import { startWebHost, type WebHost } from './web-host-server';

/** The body every refusal of the host carries: a failed Result with a typed error. */
const refusalSchema = z.object({ ok: z.literal(false), error: errorDataSchema }).strict();

const FILE = '<!doctype html><title>fuzz</title>';

describe('web host under malformed and hostile requests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ws-web-fuzz-'));
  const logLines: Array<{ level: number; msg?: string }> = [];
  const logger = pino(
    { level: 'warn' },
    {
      write: (line: string) =>
        void logLines.push(JSON.parse(line) as { level: number; msg?: string }),
    },
  );
  let services: AppServices;
  let host: WebHost;

  beforeAll(async () => {
    const rendererDir = join(dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), FILE);
    // The real composition root on a scratch data directory: real settings file, real session state.
    const config = loadAppConfig(
      {},
      { environment: 'test', dataDir: join(dir, 'data'), logLevel: 'warn' },
    );
    services = createAppServices(
      config,
      { host: 'web', version: '0.0.0-test', hotkeyRegistered: () => false },
      logger,
    );
    await services.ready;
    host = await startWebHost({
      dispatch: services.dispatch,
      events: services.events,
      rendererDir,
      logger,
    });
  });
  afterAll(async () => {
    await host?.stop();
    await services?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const auth = () => ({
    host: new URL(host.origin).host,
    authorization: `Bearer ${host.secret}`,
    'content-type': 'application/json',
  });
  const call = async (channel: string, input: unknown = {}) => {
    const answer = await send(`${host.origin}/api/invoke/${channel}`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ input }),
    });
    expect(answer.status).toBe(200);
    return JSON.parse(answer.body) as unknown;
  };

  it('answers 1,000 random requests with no 5xx, only typed errors, and leaves session and settings alone', async () => {
    // A state that differs from the defaults, so a request that reset it would show.
    expect(await call('settings:set', { theme: 'dark', hotkey: 'Alt+Shift+K' })).toMatchObject({
      ok: true,
    });
    const settingsBefore = await call('settings:get');
    const sessionBefore = await call('session:get');
    const port = Number(new URL(host.origin).port);

    /** Present now and then: hostile headers all at once would stop nearly every request at the parser. */
    const sometimes = <T>(arbitrary: fc.Arbitrary<T>, absentWeight = 3) =>
      fc.oneof(
        { weight: absentWeight, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary },
      );
    // Path characters http.request sends: mostly visible ASCII, now and then a raw byte above 0x7f.
    const latin1 = fc
      .oneof(
        { weight: 30, arbitrary: fc.integer({ min: 0x21, max: 0x7e }) },
        { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
      )
      .map((code) => String.fromCharCode(code));
    // What Node lets a header value carry: visible ASCII, space and the obs-text range (no DEL).
    const headerText = fc.string({
      unit: fc
        .integer({ min: 0x20, max: 0xfe })
        .map((code) => String.fromCharCode(code === 0x7f ? 0xff : code)),
      maxLength: 40,
    });
    const segment = fc.oneof(
      fc.constantFrom(
        '..',
        '.',
        '',
        '%2e%2e',
        '%2E%2E%2F',
        '..%2f',
        '..%5c',
        '\\',
        '%00',
        '%',
        '%E0%A4%A',
        '%ZZ',
        '%C0%AF',
        '%ff',
        '%25',
        ';',
        'index.html',
        'index.html%00.js',
        'api',
        'invoke',
        'events',
        '*',
      ),
      fc.constantFrom(
        ...methodChannels,
        'shell:exec',
        'settings%3Aset',
        '%61pp:info',
        '__proto__',
        'constructor',
      ),
      fc.string({ unit: latin1, maxLength: 12 }),
    );
    const path = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.constantFrom(
          '/',
          '/index.html',
          '/api/events',
          '/api/invoke/app:info',
          '/api/invoke/settings:get',
          '/api/invoke/settings:set',
          '/api/invoke/session:signOut',
          '/api/invoke/session:signIn',
          '/api/invoke/search:query',
          '/api/%E0%A4%A',
          '/%E0%A4%A',
          '/index.html%00',
          '*',
        ),
      },
      {
        weight: 4,
        arbitrary: fc
          .tuple(
            fc.constantFrom('/', '/api/', '/api/invoke/', '//', ''),
            fc.array(segment, { maxLength: 6 }),
            fc.option(fc.string({ unit: latin1, maxLength: 30 }), { nil: undefined }),
          )
          .map(
            ([prefix, segments, query]) =>
              `${prefix}${segments.join('/')}${query === undefined ? '' : `?${query}`}`,
          ),
      },
      {
        weight: 1,
        arbitrary: fc.integer({ min: 100, max: 20_000 }).map((length) => `/${'a'.repeat(length)}`),
      },
      {
        weight: 1,
        arbitrary: fc
          .integer({ min: 100, max: 5_000 })
          .map((length) => `/api/invoke/${'x'.repeat(length)}`),
      },
    );
    const method = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.constantFrom(
          'GET',
          'GET',
          'HEAD',
          'POST',
          'POST',
          'POST',
          'PUT',
          'DELETE',
          'PATCH',
          'OPTIONS',
          'TRACE',
          'PROPFIND',
          'SEARCH',
          'PURGE',
          'QUERY',
          'get',
        ),
      },
      // CONNECT is left out: Node hands it to a 'connect' listener, never to the host's routes.
      {
        weight: 1,
        arbitrary: fc.stringMatching(/^[A-Z]{1,8}$/).filter((name) => name !== 'CONNECT'),
      },
    );
    const httpDate = fc.oneof(
      fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
      headerText,
    );
    const etag = fc.oneof(fc.constantFrom('*', '"x"', 'W/"x"', '"a", "b"', ''), headerText);
    const hostHeader = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(`127.0.0.1:${port}`, `localhost:${port}`) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'attacker.example',
          `attacker.example:${port}`,
          `127.0.0.1:${port + 1}`,
          '127.0.0.1',
          `[::1]:${port}`,
          `LOCALHOST:${port}`,
        ),
      },
      { weight: 1, arbitrary: headerText },
    );
    const headers = fc.record({
      host: hostHeader,
      authorization: fc.oneof(
        { weight: 2, arbitrary: fc.constant(undefined) },
        { weight: 6, arbitrary: fc.constant(`Bearer ${host.secret}`) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'Bearer nope',
            `Bearer ${host.secret} `,
            `bearer ${host.secret}`,
            `Bearer ${host.secret}x`,
            'Bearer ',
            'Basic dXNlcjpwYXNz',
          ),
        },
        { weight: 1, arbitrary: headerText },
      ),
      origin: sometimes(
        fc.oneof(
          fc.constant(host.origin),
          fc.constantFrom('null', 'https://attacker.example', `http://localhost:${port}`),
          headerText,
        ),
      ),
      range: sometimes(
        fc.oneof(
          fc.constantFrom(
            'bytes=0-3',
            'bytes=1000-2000',
            'bytes=-5',
            'bytes=5-',
            'bytes=3-1',
            'bytes=0-1,2-3',
            'bytes=0-0,-1',
            'bytes=',
            'items=0-1',
          ),
          headerText,
        ),
      ),
      'if-match': sometimes(etag),
      'if-none-match': sometimes(etag),
      'if-unmodified-since': sometimes(httpDate),
      'if-modified-since': sometimes(httpDate),
      'if-range': sometimes(fc.oneof(etag, httpDate), 8),
      'content-type': fc.oneof(
        { weight: 4, arbitrary: fc.constant('application/json') },
        { weight: 1, arbitrary: fc.constant(undefined) },
        {
          weight: 2,
          arbitrary: fc.constantFrom(
            'application/json; charset=utf-16',
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/json;;',
            '',
          ),
        },
        { weight: 1, arbitrary: headerText },
      ),
      'transfer-encoding': sometimes(
        fc.constantFrom('chunked', 'gzip', 'chunked, chunked', 'identity'),
        15,
      ),
      expect: sometimes(fc.constantFrom('100-continue', 'teapot'), 15),
      'x-workstation-client': sometimes(fc.oneof(fc.constantFrom('tab-0001', 'x'), headerText)),
      'x-pad': sometimes(
        fc.integer({ min: 1, max: 20_000 }).map((length) => 'x'.repeat(length)),
        15,
      ),
    });
    const extraHeaders = fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,15}$/), headerText, {
      maxKeys: 2,
    });
    const body = fc.option(
      fc.oneof(
        fc.string(),
        fc.json(),
        fc.jsonValue().map((input) => JSON.stringify({ input })),
        fc.uint8Array({ maxLength: 64 }),
        fc.constantFrom(
          '{nope',
          '{"input":',
          'null',
          '[]',
          '""',
          '{"input":{"theme":"neon"}}',
          '{"__proto__":{"polluted":1}}',
          '{"input":{"constructor":{"prototype":{"polluted":1}}}}',
          `{"input":{"pad":"${'x'.repeat(70_000)}"}}`,
        ),
      ),
      { nil: undefined },
    );
    // Content-Length: absent, off by a few bytes either way, or not a number at all.
    const declaredLength = sometimes(
      fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('abc', '-1', '1e3', '')),
      5,
    );

    /** A request that validly changes settings would change them rightly; the property is about everything else. */
    const changesSettings = (raw: string | Uint8Array | undefined) => {
      try {
        const input = (JSON.parse(typeof raw === 'string' ? raw : '') as { input?: unknown }).input;
        const patch = settingsPatchSchema.safeParse(input);
        return patch.success && Object.keys(patch.data).length > 0;
      } catch {
        return false;
      }
    };

    const request = fc
      .record({ method, path, headers, extraHeaders, body, declaredLength })
      .filter((r) => !changesSettings(r.body));
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const bodyBytes = r.body === undefined ? 0 : Buffer.byteLength(r.body);
        const all: Record<string, string> = { ...r.extraHeaders };
        for (const [name, value] of Object.entries(r.headers))
          if (value !== undefined) all[name] = value;
        let endSocket = false;
        if (typeof r.declaredLength === 'number') {
          all['content-length'] = String(Math.max(0, bodyBytes + r.declaredLength));
          // A body shorter than declared: the host would wait for the rest, so the client says it is done.
          endSocket = r.declaredLength > 0;
        } else if (r.declaredLength !== undefined) {
          all['content-length'] = r.declaredLength;
        } else if (r.body !== undefined && all['transfer-encoding'] === undefined) {
          // Node frames no body on GET, HEAD, DELETE, OPTIONS by itself; the bytes would read as a next request.
          all['content-length'] = String(bodyBytes);
        }
        const init: RawRequest = {
          method: r.method,
          path: r.path,
          headers: all,
          body: r.body,
          endSocket,
        };
        let answer;
        try {
          answer = await send(host.origin, init);
        } catch (error) {
          // The host may hang up on bytes that are not HTTP (Node's parser refuses them); it must not be gone or hung.
          expect((error as NodeJS.ErrnoException).code ?? (error as Error).message).toMatch(
            /^(ECONNRESET|EPIPE|socket hang up)$/,
          );
          return;
        }
        answered += 1;
        expect(answer.status).toBeGreaterThanOrEqual(200);
        expect(answer.status).toBeLessThan(500);
        const json = String(answer.headers['content-type']).startsWith('application/json');
        if (answer.status >= 400) {
          expect(json).toBe(true);
          // A HEAD answer has no body (RFC 9110, section 9.3.2); its headers still say it is a typed error.
          if (r.method.toUpperCase() !== 'HEAD') refusalSchema.parse(JSON.parse(answer.body));
        }
        if (json && answer.body !== '') {
          // A contract call answers 200 with a Result; a client's mistake is never an internal error.
          const parsed = JSON.parse(answer.body) as { ok?: boolean; error?: { code?: string } };
          if (parsed.ok === false) expect(parsed.error?.code).not.toBe('internal');
        }
      }),
      { numRuns: 1000 },
    );

    // Most requests got an answer (not only hang-ups), the host still serves, and nothing changed.
    expect(answered).toBeGreaterThan(500);
    expect((await send(`${host.origin}/`)).body).toBe(FILE);
    expect(await call('settings:get')).toEqual(settingsBefore);
    expect(await call('session:get')).toEqual(sessionBefore);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(logLines.filter((line) => line.level >= 50)).toEqual([]);
  }, 180_000);
});
