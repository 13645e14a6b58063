import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A per-launch random secret the served page must present on every API call. */
export function createBearerSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares a presented `Authorization` header with the secret in constant time. */
export function matchesBearer(header: string | undefined, secret: string): boolean {
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
  // Hash both sides so the comparison is constant-time regardless of length.
  const presented = createHash('sha256').update(header.slice('Bearer '.length)).digest();
  const expected = createHash('sha256').update(secret).digest();
  return timingSafeEqual(presented, expected);
}
