import { workstationError, type ErrorCode } from '../../src-shared/errors';
import { fail } from '../../src-shared/result';

/** A typed answer to a request the web host will not serve. */
export interface Refusal {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
  /** Headers HTTP asks for with this status (Content-Range on a 416). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The JSON body of every refusal: the contract's failed Result. */
export function refusalBody(refusal: Pick<Refusal, 'code' | 'message'>): string {
  return JSON.stringify(fail(workstationError(refusal.code, refusal.message).toData()));
}

interface HttpErrorLike {
  readonly statusCode?: unknown;
  readonly status?: unknown;
  readonly code?: unknown;
  readonly headers?: unknown;
}

const BODY_MUST_BE_JSON = 'The request body must be JSON.';

/**
 * Maps an error raised by Fastify, its router or @fastify/static (via @fastify/send) to a typed
 * refusal that keeps the 4xx status the error carries. Anything else (no status, or 5xx) is not
 * the client's doing: undefined, for the caller to log and answer as an internal error.
 */
export function refusalFor(error: unknown): Refusal | undefined {
  const { statusCode, status, code, headers } = (
    typeof error === 'object' && error !== null ? error : {}
  ) as HttpErrorLike;
  const httpStatus =
    typeof statusCode === 'number' ? statusCode : typeof status === 'number' ? status : undefined;
  if (httpStatus === undefined || httpStatus < 400 || httpStatus > 499) return undefined;
  switch (httpStatus) {
    case 404:
      return { status: 404, code: 'not_found', message: 'Nothing is served at this address.' };
    case 408:
      return { status: 408, code: 'timeout', message: 'The request took too long to arrive.' };
    // A failed If-Match or If-Unmodified-Since: the file changed since the client last saw it
    // (RFC 9110, section 13.1: https://www.rfc-editor.org/rfc/rfc9110#section-13.1).
    case 412:
      return {
        status: 412,
        code: 'conflict',
        message: 'The file has changed since it was loaded; reload the page.',
      };
    case 413:
    case 414:
    case 431:
      return { status: httpStatus, code: 'too_large', message: 'The request is too large.' };
    case 415:
      return { status: 415, code: 'invalid_input', message: BODY_MUST_BE_JSON };
    // RFC 9110, section 15.5.17: a 416 SHOULD name the file's length in `Content-Range: bytes */<length>`
    // (https://www.rfc-editor.org/rfc/rfc9110#status.416); @fastify/send puts it on the error.
    case 416: {
      const contentRange =
        typeof headers === 'object' && headers !== null
          ? (headers as Record<string, unknown>)['Content-Range']
          : undefined;
      return {
        status: 416,
        code: 'invalid_input',
        message: 'The requested byte range is outside the file.',
        ...(typeof contentRange === 'string' ? { headers: { 'content-range': contentRange } } : {}),
      };
    }
    default: {
      if (code === 'FST_ERR_BAD_URL')
        return {
          status: 400,
          code: 'invalid_input',
          message: 'The address is not valid (a malformed %-encoding).',
        };
      // Fastify's content-type parser: empty, malformed or truncated JSON bodies.
      if (typeof code === 'string' && code.startsWith('FST_ERR_CTP_'))
        return { status: httpStatus, code: 'invalid_input', message: BODY_MUST_BE_JSON };
      return { status: httpStatus, code: 'invalid_input', message: 'The request is not valid.' };
    }
  }
}

/**
 * The refusal for bytes Node's HTTP parser would not turn into a request (an unknown method,
 * broken framing, headers over the size limit); Fastify's own answer would be untyped.
 */
export function clientErrorRefusal(error: { readonly code?: unknown }): Refusal {
  if (error.code === 'HPE_HEADER_OVERFLOW')
    return { status: 431, code: 'too_large', message: 'The request headers are too large.' };
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return { status: 408, code: 'timeout', message: 'The request took too long to arrive.' };
  return { status: 400, code: 'invalid_input', message: 'The request is not valid HTTP.' };
}
