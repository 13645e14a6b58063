import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { workstationError } from '../../src-shared/errors';

/**
 * The envelope every encrypted blob travels in (ARCHITECTURE.md, Where tokens are encrypted):
 *   byte 0      format version (1)
 *   byte 1      key version (which HKDF info derived the key; lets keys rotate)
 *   bytes 2-13  96-bit random nonce, fresh for every encryption
 *   bytes 14-   AES-256-GCM ciphertext, then its 16-byte tag
 * encoded as base64url. The AAD binds the format version, tenant, user, integration and device, so
 * a blob moved to another user, integration or device fails authentication.
 */
export const ENVELOPE_FORMAT_VERSION = 1;
export const CURRENT_KEY_VERSION = 1;
const HKDF_SALT = 'workstation/v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 2 + NONCE_BYTES;

/** What a blob belongs to; every field is bound into the ciphertext. */
export interface EnvelopeContext {
  readonly tenantId: string;
  readonly userId: string;
  readonly integration: string;
  readonly deviceId: string;
}

/**
 * Why a blob could not be opened. `authentication_failed`: wrong key (salt lost) or tampered, so the
 * blob is lost; `unsupported_version`: written by a newer Workstation, still good there, so it must
 * be kept; `malformed`: not an envelope at all.
 */
export type EnvelopeFailure = 'authentication_failed' | 'unsupported_version' | 'malformed';

/** A blob that does not open: wrong key (salt lost), tampered, or not ours. */
export class EnvelopeError extends Error {
  constructor(readonly reason: EnvelopeFailure) {
    super(`encrypted data could not be opened (${reason})`);
    this.name = 'EnvelopeError';
  }
}

const validId = (value: string, name: string) => {
  if (value.length === 0 || value.includes('|'))
    throw workstationError('invalid_input', `The ${name} must be non-empty and contain no "|".`);
};

/** Seals and opens blobs under keys derived from one user's 256-bit root secret. */
export interface Envelope {
  seal(plaintext: Uint8Array | string, context: EnvelopeContext): string;
  open(sealed: string, context: EnvelopeContext): Buffer;
}

/** Creates an envelope over `rootSecret` (exactly 32 bytes, from the keychain). */
export function createEnvelope(rootSecret: Uint8Array): Envelope {
  if (rootSecret.byteLength !== 32)
    throw workstationError('invalid_input', 'The root secret must be exactly 32 bytes.');
  const root = Buffer.from(rootSecret);
  const keys = new Map<string, Buffer>();
  const keyFor = (context: EnvelopeContext, keyVersion: number): Buffer => {
    const info = `${context.tenantId}|${context.userId}|${context.integration}|${keyVersion}`;
    let key = keys.get(info);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', root, HKDF_SALT, info, 32));
      keys.set(info, key);
    }
    return key;
  };
  const aad = (context: EnvelopeContext) =>
    Buffer.from(
      `v${ENVELOPE_FORMAT_VERSION}|${context.tenantId}|${context.userId}|${context.integration}|${context.deviceId}`,
    );
  const check = (context: EnvelopeContext) => {
    validId(context.tenantId, 'tenant id');
    validId(context.userId, 'user id');
    validId(context.integration, 'integration');
    validId(context.deviceId, 'device id');
  };

  return {
    seal(plaintext, context) {
      check(context);
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyFor(context, CURRENT_KEY_VERSION), nonce);
      cipher.setAAD(aad(context));
      const body = Buffer.concat([
        cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext),
        cipher.final(),
      ]);
      return Buffer.concat([
        Buffer.from([ENVELOPE_FORMAT_VERSION, CURRENT_KEY_VERSION]),
        nonce,
        body,
        cipher.getAuthTag(),
      ]).toString('base64url');
    },
    open(sealed, context) {
      check(context);
      if (!/^[A-Za-z0-9_-]*$/.test(sealed)) throw new EnvelopeError('malformed');
      const bytes = Buffer.from(sealed, 'base64url');
      // Only the canonical encoding is ours: no padding bits or characters smuggled in.
      if (bytes.length < HEADER_BYTES + TAG_BYTES || bytes.toString('base64url') !== sealed)
        throw new EnvelopeError('malformed');
      if (bytes[0] !== ENVELOPE_FORMAT_VERSION) throw new EnvelopeError('unsupported_version');
      const keyVersion = bytes[1] ?? 0;
      if (keyVersion < 1 || keyVersion > CURRENT_KEY_VERSION)
        throw new EnvelopeError('unsupported_version');
      const decipher = createDecipheriv(
        'aes-256-gcm',
        keyFor(context, keyVersion),
        bytes.subarray(2, HEADER_BYTES),
      );
      decipher.setAAD(aad(context));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      try {
        return Buffer.concat([
          decipher.update(bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES)),
          decipher.final(),
        ]);
      } catch {
        throw new EnvelopeError('authentication_failed');
      }
    },
  };
}
