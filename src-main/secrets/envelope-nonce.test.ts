import { describe, expect, it } from 'vitest';
import { createEnvelope } from './envelope';

const context = { tenantId: 't', userId: 'u', integration: 'dynamics', deviceId: 'device-0001' };

describe('envelope nonces', () => {
  it('never repeats a nonce across 1,000,000 encryptions under one key', () => {
    const envelope = createEnvelope(Buffer.alloc(32, 3));
    const seen = new Set<string>();
    const count = 1_000_000;
    for (let i = 0; i < count; i += 1) {
      // Bytes 2..13 of the blob are the nonce (the format is pinned by the known-answer test).
      seen.add(envelope.seal('x', context).slice(0, 19));
    }
    expect(seen.size).toBe(count);
  }, 180_000);
});
