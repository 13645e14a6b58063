import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { clientErrorRefusal, refusalBody, type Refusal } from './http-refusals';

/** What Fastify and Node's HTTP server need from the guard. */
export interface ConnectionGuard {
  /** Fastify's `clientErrorHandler`: bytes Node's parser would not turn into a request. */
  onClientError(error: Error, socket: Socket): void;
  /** Listens on the server for requests (to know which connections carried one) and for `Expect`. */
  attach(server: Server): void;
}

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/**
 * Types the answers Node gives below Fastify: a parser error (unknown method, broken framing,
 * oversized headers) and an `Expect` header other than 100-continue, which Node would otherwise
 * answer with Fastify's untyped body or a bare 417.
 */
export function createConnectionGuard(): ConnectionGuard {
  const socketsWithRequests = new WeakSet<Socket>();
  return {
    onClientError(error, socket) {
      const parserError = error as NodeJS.ErrnoException & { rawPacket?: unknown };
      if (parserError.code === 'ECONNRESET' || socket.destroyed) return;
      // Once a request is under way or answered on this connection, a written refusal would land
      // in or after that answer (the client half-closed mid-body, or sent trailing bytes): close.
      if (socketsWithRequests.has(socket)) socket.destroy();
      else writeRefusalToSocket(socket, clientErrorRefusal(parserError), parserError.rawPacket);
    },
    attach(server) {
      server.on('request', (request: IncomingMessage) => socketsWithRequests.add(request.socket));
      // Node answers a bare 417 unless someone listens (https://nodejs.org/api/http.html#event-checkexpectation).
      server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
        socketsWithRequests.add(request.socket);
        const body = refusalBody({
          code: 'invalid_input',
          message: 'The host cannot meet that Expect header.',
        });
        response.writeHead(417, {
          ...JSON_HEADERS,
          'content-length': Buffer.byteLength(body),
          connection: 'close',
        });
        response.end(body);
      });
    },
  };
}

/**
 * Answers a refusal straight on the socket and closes it, as Node's own `clientError` handling
 * does (https://nodejs.org/api/http.html#event-clienterror): no request object exists to reply on.
 * The error's `rawPacket` (documented there) holds the bytes Node was parsing; an answer to HEAD
 * carries no body (RFC 9110, section 9.3.2), or the client would read the body as a next response.
 */
function writeRefusalToSocket(socket: Socket, refusal: Refusal, rawPacket: unknown): void {
  if (socket.writable) {
    const body = refusalBody(refusal);
    const head =
      Buffer.isBuffer(rawPacket) && rawPacket.subarray(0, 5).toString('latin1') === 'HEAD ';
    const lines = [
      `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? 'Error'}`,
      ...Object.entries(JSON_HEADERS).map(([name, value]) => `${name}: ${value}`),
    ];
    lines.push(`content-length: ${Buffer.byteLength(body)}`, 'connection: close');
    socket.write(`${lines.join('\r\n')}\r\n\r\n${head ? '' : body}`);
  }
  socket.destroy();
}
