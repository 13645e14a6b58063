/**
 * Redaction rules shared by every process's logger: keys that name a secret are masked whole,
 * and string values that look like a JWT, a bearer header or an OAuth code are masked wherever they appear.
 */
export const REDACTED = '[redacted]';

const secretKeyPattern =
  /^(authorization|cookie|set-cookie|x-workstation-secret|access_?token|refresh_?token|id_?token|client_?secret|code|code_?verifier|password|secret|salt|root_?secret|blob|ciphertext|assertion|client_?assertion|token)$/i;

// JWTs (three base64url segments, the first starting with `eyJ`), bearer credentials and
// `code=`/`refresh_token=` in query or form strings.
const secretValuePatterns: readonly RegExp[] = [
  /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b((?:code|refresh_token|access_token|id_token|code_verifier|client_secret|k)=)[^&\s"']+/gi,
];

/** Whether an object key names a secret whose value must never be logged. */
export function isSecretKey(key: string): boolean {
  return secretKeyPattern.test(key);
}

/** Masks secret-looking substrings in a string. */
export function redactString(value: string): string {
  let out = value;
  for (const pattern of secretValuePatterns) {
    out = out.replace(pattern, (_match, prefix: string | undefined) =>
      typeof prefix === 'string' && prefix.length > 0 && !prefix.startsWith('eyJ') ? `${prefix}${prefix.endsWith('=') ? '' : ' '}${REDACTED}` : REDACTED,
    );
  }
  return out;
}

/** Returns a deep copy of `value` with secrets masked; cycles and depth are bounded. */
export function redactSecrets(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[depth]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1, seen));
  if (value instanceof Error) {
    return { name: value.name, message: redactString(value.message), code: (value as { code?: unknown }).code };
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? REDACTED : redactSecrets(item, depth + 1, seen);
  }
  return out;
}
