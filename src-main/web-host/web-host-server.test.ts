import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { z } from 'zod';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { errorDataSchema } from '../../src-shared/errors';
import { createDispatcher } from '../ipc/dispatcher';
import { EventHub } from '../ipc/event-hub';
import type { HandlerTable } from '../ipc/handler-table';
import { fixtureHandlers } from '../ipc/test/handler-table-fixture';
import { send } from './test/raw-http';
import { startWebHost, type WebHost } from './web-host-server';

const logger = pino({ level: 'silent' });

const rendererDir = mkdtempSync(join(tmpdir(), 'ws-renderer-'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
afterAll(() => rmSync(rendererDir, { recursive: true, force: true }));

const handlers = (search: HandlerTable['search:query']) =>
  fixtureHandlers({ 'search:query': search });

/** The body every refusal of the host carries: a failed Result with a typed error. */
const refusalSchema = z.object({ ok: z.literal(false), error: errorDataSchema }).strict();

/** A logger that keeps its lines, so a test can show the host logged no error for a client's mistake. */
function capturingLogger() {
  const lines: Array<{ level: number; msg?: string }> = [];
  const log = pino(
    { level: 'warn' },
    {
      write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg?: string }),
    },
  );
  return { log, errors: () => lines.filter((line) => line.level >= 50) };
}

describe('web host', () => {
  let host: WebHost | undefined;
  afterEach(async () => host?.stop());

  async function start(
    search = vi.fn<HandlerTable['search:query']>((input) => ({ queryId: input.queryId })),
    log = logger,
  ) {
    const events = new EventHub(log);
    host = await startWebHost({
      dispatch: createDispatcher(handlers(search), log),
      events,
      rendererDir,
      logger: log,
    });
    return {
      host,
      search,
      events,
      auth: { authorization: `Bearer ${host.secret}`, 'content-type': 'application/json' },
    };
  }

  it('puts the secret only in the URL fragment and serves the page with a strict CSP', async () => {
    const { host } = await start();
    expect(host.url).toBe(`${host.origin}/#k=${host.secret}`);
    const page = await send(`${host.origin}/`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(host.secret);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('requires the bearer secret on the API', async () => {
    const { host, search } = await start();
    const body = JSON.stringify({ input: { queryId: 'q1', text: 'x' } });
    const anonymous = await send(`${host.origin}/api/invoke/search:query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const wrong = await send(`${host.origin}/api/invoke/search:query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
      body,
    });
    expect([anonymous.status, wrong.status]).toEqual([401, 401]);
    expect(JSON.parse(wrong.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(search).not.toHaveBeenCalled();
  });

  it('rejects invalid input with invalid_input before the handler runs', async () => {
    const { host, search, auth } = await start();
    const response = await send(`${host.origin}/api/invoke/search:query`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ input: { queryId: 'q1' } }),
    });
    expect(JSON.parse(response.body)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(search).not.toHaveBeenCalled();
    const good = await send(`${host.origin}/api/invoke/search:query`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ input: { queryId: 'q1', text: 'x' } }),
    });
    expect(JSON.parse(good.body)).toEqual({ ok: true, value: { queryId: 'q1' } });
  });

  it('refuses other hosts (DNS rebinding) and other origins (cross-site requests)', async () => {
    const { host, auth, search } = await start();
    const port = new URL(host.origin).port;
    const rebound = await send(`${host.origin}/`, {
      headers: { host: `attacker.example:${port}` },
    });
    expect(rebound.status).toBe(421);
    const crossSite = await send(`${host.origin}/api/invoke/search:query`, {
      method: 'POST',
      headers: { ...auth, origin: 'https://attacker.example' },
      body: JSON.stringify({ input: { queryId: 'q1', text: 'x' } }),
    });
    expect(crossSite.status).toBe(403);
    expect(search).not.toHaveBeenCalled();
  });

  it('answers unknown channels, non-JSON and oversized bodies with typed errors', async () => {
    const { host, auth } = await start();
    const unknown = await send(`${host.origin}/api/invoke/shell:exec`, {
      method: 'POST',
      headers: auth,
      body: '{}',
    });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: { code: 'unknown_method' } });
    const notJson = await send(`${host.origin}/api/invoke/app:info`, {
      method: 'POST',
      headers: auth,
      body: '{nope',
    });
    expect(JSON.parse(notJson.body)).toMatchObject({ error: { code: 'invalid_input' } });
    const huge = await send(`${host.origin}/api/invoke/app:info`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ input: { pad: 'x'.repeat(70_000) } }),
    });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body)).toMatchObject({ error: { code: 'too_large' } });
  });

  it('streams contract events to an authorized client', async () => {
    const { host, events } = await start();
    const response = await fetch(`${host.origin}/api/events`, {
      headers: { authorization: `Bearer ${host.secret}` },
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    await reader.read(); // the ": connected" comment
    events.emit('search:didComplete', { queryId: 'q9', sources: 2 });
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe(
      'event: search:didComplete\ndata: {"queryId":"q9","sources":2}\n\n',
    );
    await reader.cancel();
  });

  it("answers HEAD on the event stream with the stream's head, then ends", async () => {
    const { host } = await start();
    const head = await send(`${host.origin}/api/events`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${host.secret}` },
    });
    expect([head.status, head.headers['content-type'], head.body]).toEqual([
      200,
      'text/event-stream; charset=utf-8',
      '',
    ]);
  });

  // RFC 9110: Range (section 14.2) and its 416 answer (15.5.17), If-Match (13.1.1) and
  // If-Unmodified-Since (13.1.4): https://www.rfc-editor.org/rfc/rfc9110
  it('answers range and conditional requests for static files as HTTP defines them, failures typed', async () => {
    const { log, errors } = capturingLogger();
    const { host } = await start(undefined, log);
    const range = await send(`${host.origin}/`, { headers: { range: 'bytes=0-3' } });
    expect([range.status, range.body, range.headers['content-range']]).toEqual([
      206,
      '<!do',
      'bytes 0-3/31',
    ]);

    const unsatisfiable = await send(`${host.origin}/`, { headers: { range: 'bytes=1000-2000' } });
    expect(unsatisfiable.status).toBe(416);
    expect(unsatisfiable.headers['content-range']).toBe('bytes */31');
    expect(refusalSchema.parse(JSON.parse(unsatisfiable.body)).error.code).toBe('invalid_input');

    const ifMatch = await send(`${host.origin}/index.html`, {
      headers: { 'if-match': '"not-this-file"' },
    });
    const unmodifiedSince = await send(`${host.origin}/`, {
      headers: { 'if-unmodified-since': 'Mon, 01 Jan 1990 00:00:00 GMT' },
    });
    for (const failed of [ifMatch, unmodifiedSince]) {
      expect(failed.status).toBe(412);
      expect(refusalSchema.parse(JSON.parse(failed.body)).error.code).toBe('conflict');
    }
    const head = await send(`${host.origin}/`, {
      method: 'HEAD',
      headers: { 'if-match': '"not-this-file"' },
    });
    expect(head.status).toBe(412);

    const etag = String(range.headers.etag);
    const notModified = await send(`${host.origin}/`, { headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);
    const matched = await send(`${host.origin}/`, { headers: { 'if-match': etag } });
    expect(matched.status).toBe(200);
    expect(errors()).toEqual([]);
  });

  it('answers malformed URLs, unknown paths and broken HTTP with typed errors, never a 5xx', async () => {
    const { log, errors } = capturingLogger();
    const { host, auth } = await start(undefined, log);
    const cases: Array<[string, Parameters<typeof send>[1], number, string]> = [
      ['bad %-encoding under /api', { path: '/api/%E0%A4%A' }, 400, 'invalid_input'],
      [
        'bad %-encoding on a keyed call',
        { method: 'POST', path: '/api/invoke/%E0%A4%A', headers: auth, body: '{}' },
        400,
        'invalid_input',
      ],
      ['bad %-encoding elsewhere', { path: '/%E0%A4%A' }, 400, 'invalid_input'],
      ['an unknown file', { path: '/nope.js' }, 404, 'not_found'],
      ['a dot-dot path', { path: '/../etc/passwd' }, 404, 'not_found'],
      ['a NUL byte', { path: '/index.html%00.js' }, 404, 'not_found'],
      [
        'an over-long channel',
        { method: 'POST', path: `/api/invoke/${'x'.repeat(500)}`, headers: auth, body: '{}' },
        404,
        'not_found',
      ],
      ['an over-long header', { headers: { 'x-pad': 'x'.repeat(20_000) } }, 431, 'too_large'],
      ['a method HTTP does not know', { method: 'BREW' }, 400, 'invalid_input'],
      [
        'an expectation the host cannot meet',
        { headers: { expect: 'teapot' } },
        417,
        'invalid_input',
      ],
      [
        'Content-Length and Transfer-Encoding together',
        {
          method: 'POST',
          path: '/api/invoke/app:info',
          headers: { ...auth, 'content-length': '2', 'transfer-encoding': 'chunked' },
          body: '{}',
        },
        400,
        'invalid_input',
      ],
    ];
    for (const [name, init, status, code] of cases) {
      const answer = await send(host.origin, init);
      expect({ name, status: answer.status }).toEqual({ name, status });
      expect({ name, error: refusalSchema.parse(JSON.parse(answer.body)).error.code }).toEqual({
        name,
        error: code,
      });
    }
    // A client that stops sending mid-body has its request under way: the host closes the connection.
    const truncated = send(host.origin, {
      method: 'POST',
      path: '/api/invoke/app:info',
      headers: { ...auth, 'content-length': '50' },
      body: '{}',
      endSocket: true,
    });
    await expect(truncated).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await send(`${host.origin}/`)).status).toBe(200);
    expect(errors()).toEqual([]);
  });
});
