/** Error codes of a download that could not reach its server (DNS, refused, timed out, cut). */
const networkCodes = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Why a failed electron-builder run is a failed download, in a few words ("getaddrinfo ENOTFOUND
 * github.com"), or undefined when it failed for another reason. electron-builder downloads
 * Electron (through @electron/get) and its packaging tools over HTTPS, and hands back the HTTP
 * client's error, or an error whose `cause` is it (fetch's "fetch failed").
 */
export function downloadFailure(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const { code, message, cause, response } = current as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      response?: { statusCode?: unknown };
    };
    const text = typeof message === 'string' ? message.split('\n')[0] : undefined;
    if (typeof code === 'string' && networkCodes.has(code)) return text ?? code;
    if (typeof response?.statusCode === 'number' && text) return text;
    current = cause;
  }
  return undefined;
}
