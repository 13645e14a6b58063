/**
 * Redaction rules shared by every process's logger.
 *
 * By field name, wherever the field appears. Entra refresh tokens and authorization codes are
 * opaque strings (`0.AVYA...`, `M.C507_BAY...`), not JWTs, so their name is the only reliable sign:
 * - object keys that name a secret (`secretKeyPattern`) have their value masked whole, at any
 *   depth, in arrays, in errors and their `cause`, and in JSON text inside strings
 *   (`"refresh_token":"..."`, also escaped once more: `\"refresh_token\":\"...\"`);
 * - `name=value` pairs in query strings, form bodies and free text (`formNamePattern`) have the
 *   value masked, also URL-encoded (`name=a%2Bb`) and inside an encoded URL (`%3Fcode%3D...`).
 * By shape, anywhere: JWTs (`eyJ...`) and `Bearer <credential>`.
 *
 * The key `code`: it names both the OAuth authorization code and, far more often, an error code
 * (`ECONNREFUSED`, `invalid_grant`, `needs_reconnect`) that must stay visible to diagnose a
 * failure. The rule, for an object key or a JSON key `code` (and an error's `code`): the value is
 * kept when it is an error code (`isErrorCode`: a number, or a string of at most 64 characters
 * that is SCREAMING_SNAKE like `ERR_X` or `AADSTS70008`, lower snake or kebab like
 * `invalid_grant`, hex like `0x80040217`, digits, or a letters-only identifier of at most 40
 * characters like `InvalidAuthenticationToken` or `Request_ResourceNotFound`); anything else is
 * masked. Authorization codes are long random base64url in mixed case with digits, dots or dashes
 * (hundreds of characters from Entra ID), which none of these shapes admit. In a query string or
 * form body, `code=` is the OAuth parameter (RFC 6749, section 4.1.2:
 * https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2) and is always masked.
 */
export const REDACTED = '[redacted]';

const secretKeyPattern =
  /^(authorization|cookie|set-cookie|x-workstation-secret|access_?token|refresh_?token|id_?token|client_?secret|code|code_?verifier|password|secret|salt|root_?secret|blob|ciphertext|assertion|client_?assertion|token)$/i;

/** Names whose value is masked in `name=value` pairs; `k` is the web host's key in its URL fragment. */
const formNamePattern = String.raw`(?:access|refresh|id)_?token|client_?(?:secret|assertion)|assertion|code_?verifier|code|password|secret|token|k`;

// JWTs (three base64url segments, the first starting with `eyJ`) and bearer credentials.
const secretShapePatterns: readonly RegExp[] = [
  /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
];

// `name=value` after a start, a separator or an encoded separator (?, &, #); `=` may be encoded
// once or twice. The value ends at a separator, also an encoded `&`.
const formPairPattern = new RegExp(
  String.raw`(?<=^|[^A-Za-z0-9_]|%3F|%26|%23|%253F|%2526)(${formNamePattern})(=|%3D|%253D)(?:(?!%26|%2526)[^&\s"'<>;,])+`,
  'gi',
);

// `"key": "value"` in JSON text, and the same JSON escaped once more inside a JSON string.
const jsonPairPattern = /"([A-Za-z0-9_.-]{1,64})"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
const escapedJsonPairPattern = /\\"([A-Za-z0-9_.-]{1,64})\\"(\s*:\s*)\\"((?:[^"\\]|\\[^"])*)\\"/g;

const errorCodeShapes: readonly RegExp[] = [
  /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/,
  /^[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*$/,
  /^0x[0-9A-Fa-f]{1,16}$/,
  /^\d{1,12}$/,
];
const identifierShape = /^[A-Za-z]+(?:_[A-Za-z]+)*$/;

/** Whether an object key names a secret whose value must never be logged. */
export function isSecretKey(key: string): boolean {
  return secretKeyPattern.test(key);
}

/** Whether a value under the key `code` is an error code (kept visible) rather than an OAuth code; see the file comment. */
export function isErrorCode(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  return (
    errorCodeShapes.some((shape) => shape.test(value)) ||
    (value.length <= 40 && identifierShape.test(value))
  );
}

/** The logged form of a value under a secret-named key: masked, except an error code under `code`. */
function maskedValue(key: string, value: unknown): unknown {
  if (key.toLowerCase() === 'code' && (value === undefined || value === null || isErrorCode(value)))
    return value;
  return REDACTED;
}

/** Masks secret-looking substrings in a string. */
export function redactString(value: string): string {
  let out = value;
  for (const pattern of secretShapePatterns) {
    out = out.replace(pattern, (_match, prefix: string | undefined) =>
      typeof prefix === 'string' ? `${prefix} ${REDACTED}` : REDACTED,
    );
  }
  out = out.replace(
    formPairPattern,
    (_match, name: string, separator: string) => `${name}${separator}${REDACTED}`,
  );
  const maskJson = (quote: string) => (match: string, key: string, colon: string, item: string) =>
    isSecretKey(key) && maskedValue(key, item) === REDACTED
      ? `${quote}${key}${quote}${colon}${quote}${REDACTED}${quote}`
      : match;
  out = out.replace(jsonPairPattern, maskJson('"'));
  return out.replace(escapedJsonPairPattern, maskJson('\\"'));
}

/** Returns a deep copy of `value` with secrets masked; cycles and depth are bounded. */
export function redactSecrets(
  value: unknown,
  depth = 0,
  seen: WeakSet<object> = new WeakSet(),
): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[depth]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1, seen));
  if (value instanceof Error) {
    const out: Record<string, unknown> = {
      name: value.name,
      message: redactString(value.message),
      code: maskedValue('code', (value as { code?: unknown }).code),
    };
    // The cause is often the only account of what failed upstream; it is kept, masked the same way.
    if (value.cause !== undefined) out.cause = redactSecrets(value.cause, depth + 1, seen);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? maskedValue(key, item) : redactSecrets(item, depth + 1, seen);
  }
  return out;
}
