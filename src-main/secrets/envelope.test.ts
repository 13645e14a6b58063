import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEnvelope, EnvelopeError, type EnvelopeContext } from './envelope';

const context: EnvelopeContext = {
  tenantId: '6f1c3a52-8e0b-4d7e-9a3f-2b5c8d1e4f70',
  userId: 'a11ce000-0000-4000-8000-000000000001',
  integration: 'dynamics',
  deviceId: 'device-0001',
};
const root = Buffer.alloc(32, 7);

function reasonOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return error instanceof EnvelopeError ? error.reason : 'other';
  }
}

describe('envelope (HKDF-SHA256 + AES-256-GCM)', () => {
  it('opens a blob built independently from the documented format (known answer)', () => {
    // Built from the format in envelope.ts's header comment, without the module: if the format or the KDF drifts, this fails.
    const key = Buffer.from(
      hkdfSync(
        'sha256',
        root,
        'workstation/v1',
        `${context.tenantId}|${context.userId}|${context.integration}|1`,
        32,
      ),
    );
    const nonce = Buffer.alloc(12, 1);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(
      Buffer.from(
        `v1|${context.tenantId}|${context.userId}|${context.integration}|${context.deviceId}`,
      ),
    );
    const body = Buffer.concat([cipher.update('{"msal":"cache"}'), cipher.final()]);
    const sealed = Buffer.concat([Buffer.from([1, 1]), nonce, body, cipher.getAuthTag()]).toString(
      'base64url',
    );
    expect(createEnvelope(root).open(sealed, context).toString()).toBe('{"msal":"cache"}');
  });

  it('round-trips any plaintext', () => {
    const envelope = createEnvelope(root);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (plaintext) => {
        expect(
          envelope.open(envelope.seal(plaintext, context), context).equals(Buffer.from(plaintext)),
        ).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects any flipped bit anywhere in the blob', () => {
    const envelope = createEnvelope(root);
    const sealed = Buffer.from(envelope.seal('refresh-token-cache', context), 'base64url');
    fc.assert(
      fc.property(fc.nat({ max: sealed.length * 8 - 1 }), (bit) => {
        const tampered = Buffer.from(sealed);
        tampered[bit >> 3] = (tampered[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        expect(reasonOf(() => envelope.open(tampered.toString('base64url'), context))).toMatch(
          /authentication_failed|unsupported_version/,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('rejects a blob presented for another tenant, user, integration or device', () => {
    const envelope = createEnvelope(root);
    const sealed = envelope.seal('secret', context);
    for (const other of [
      { tenantId: 'b3d9e8a1-4c27-4f6b-8e15-7a0c2d9f3b64' },
      { userId: 'b0b00000-0000-4000-8000-000000000002' },
      { integration: 'outlook' },
      { deviceId: 'device-0002' },
    ]) {
      expect(reasonOf(() => envelope.open(sealed, { ...context, ...other }))).toBe(
        'authentication_failed',
      );
    }
  });

  it('rejects truncated, extended, non-canonical and foreign-key blobs', () => {
    const envelope = createEnvelope(root);
    const sealed = envelope.seal('secret', context);
    const bytes = Buffer.from(sealed, 'base64url');
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), (length) => {
        expect(
          reasonOf(() => envelope.open(bytes.subarray(0, length).toString('base64url'), context)),
        ).toMatch(/malformed|authentication_failed/);
      }),
    );
    expect(
      reasonOf(() =>
        envelope.open(Buffer.concat([bytes, Buffer.from([0])]).toString('base64url'), context),
      ),
    ).toBe('authentication_failed');
    expect(reasonOf(() => envelope.open(`${sealed}=`, context))).toBe('malformed');
    expect(reasonOf(() => envelope.open('not base64url!', context))).toBe('malformed');
    // A new keychain (salt lost) cannot open what the old one sealed.
    expect(reasonOf(() => createEnvelope(randomBytes(32)).open(sealed, context))).toBe(
      'authentication_failed',
    );
  });

  it('refuses a root secret that is not 256 bits and ids that would blur the AAD', () => {
    expect(() => createEnvelope(Buffer.alloc(16))).toThrow(/32 bytes/);
    expect(() => createEnvelope(root).seal('x', { ...context, integration: 'dyn|amics' })).toThrow(
      /contain no/,
    );
  });
});
