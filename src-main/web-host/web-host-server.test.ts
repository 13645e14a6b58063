import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createDispatcher } from '../ipc/dispatcher';
import { EventHub } from '../ipc/event-hub';
import type { HandlerTable } from '../ipc/handler-table';
import { fixtureHandlers } from '../ipc/test/handler-table-fixture';
import { startWebHost, type WebHost } from './web-host-server';

const logger = pino({ level: 'silent' });

const rendererDir = mkdtempSync(join(tmpdir(), 'ws-renderer-'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
afterAll(() => rmSync(rendererDir, { recursive: true, force: true }));

const handlers = (search: HandlerTable['search:query']) => fixtureHandlers({ 'search:query': search });

/** Raw HTTP so tests control the Host and Origin headers, which fetch would not let them forge. */
function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('web host', () => {
  let host: WebHost | undefined;
  afterEach(async () => host?.stop());

  async function start(search = vi.fn<HandlerTable['search:query']>((input) => ({ queryId: input.queryId }))) {
    const events = new EventHub(logger);
    host = await startWebHost({ dispatch: createDispatcher(handlers(search), logger), events, rendererDir, logger });
    return { host, search, events, auth: { authorization: `Bearer ${host.secret}`, 'content-type': 'application/json' } };
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
    const anonymous = await send(`${host.origin}/api/invoke/search:query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const wrong = await send(`${host.origin}/api/invoke/search:query`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer nope' }, body });
    expect([anonymous.status, wrong.status]).toEqual([401, 401]);
    expect(JSON.parse(wrong.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(search).not.toHaveBeenCalled();
  });

  it('rejects invalid input with invalid_input before the handler runs', async () => {
    const { host, search, auth } = await start();
    const response = await send(`${host.origin}/api/invoke/search:query`, { method: 'POST', headers: auth, body: JSON.stringify({ input: { queryId: 'q1' } }) });
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(search).not.toHaveBeenCalled();
    const good = await send(`${host.origin}/api/invoke/search:query`, { method: 'POST', headers: auth, body: JSON.stringify({ input: { queryId: 'q1', text: 'x' } }) });
    expect(JSON.parse(good.body)).toEqual({ ok: true, value: { queryId: 'q1' } });
  });

  it('refuses other hosts (DNS rebinding) and other origins (cross-site requests)', async () => {
    const { host, auth, search } = await start();
    const port = new URL(host.origin).port;
    const rebound = await send(`${host.origin}/`, { headers: { host: `attacker.example:${port}` } });
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
    const unknown = await send(`${host.origin}/api/invoke/shell:exec`, { method: 'POST', headers: auth, body: '{}' });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: { code: 'unknown_method' } });
    const notJson = await send(`${host.origin}/api/invoke/app:info`, { method: 'POST', headers: auth, body: '{nope' });
    expect(JSON.parse(notJson.body)).toMatchObject({ error: { code: 'invalid_input' } });
    const huge = await send(`${host.origin}/api/invoke/app:info`, { method: 'POST', headers: auth, body: JSON.stringify({ input: { pad: 'x'.repeat(70_000) } }) });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body)).toMatchObject({ error: { code: 'too_large' } });
  });

  it('streams contract events to an authorized client', async () => {
    const { host, events } = await start();
    const response = await fetch(`${host.origin}/api/events`, { headers: { authorization: `Bearer ${host.secret}` } });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    await reader.read(); // the ": connected" comment
    events.emit('search:didComplete', { queryId: 'q9', sources: 2 });
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe('event: search:didComplete\ndata: {"queryId":"q9","sources":2}\n\n');
    await reader.cancel();
  });
});
