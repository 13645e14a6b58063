import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EventHub } from '../ipc/event-hub';

// Proxies and idle browsers drop silent connections; a comment line keeps the stream open.
const HEARTBEAT_MS = 15_000;

/**
 * Streams contract events to one browser tab as server-sent events (`event: <name>` +
 * `data: <json>`), until the tab disconnects.
 */
export function openEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  events: EventHub,
): void {
  reply.hijack();
  const response = reply.raw;
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-content-type-options': 'nosniff',
  });
  if (request.method === 'HEAD') {
    // A HEAD answer is the head alone. Node ignores writes to it and would send the head only at
    // end(), so streaming here would leave the client waiting forever.
    response.end();
    return;
  }
  response.write(': connected\n\n');
  const unsubscribe = events.subscribe((event, payload) => {
    response.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
  });
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
  request.raw.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}
