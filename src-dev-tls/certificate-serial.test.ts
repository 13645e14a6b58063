import { describe, expect, it } from 'vitest';
import { certificateSerial } from './certificate-serial';

describe('certificateSerial', () => {
  it('never starts with a zero byte or a negative one, whatever the random bytes', () => {
    for (const first of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
      const serial = certificateSerial((size) => Buffer.alloc(size, first));
      expect(serial).toHaveLength(32);
      const lead = parseInt(serial.slice(0, 2), 16);
      expect(lead).toBeGreaterThanOrEqual(0x40);
      expect(lead).toBeLessThan(0x80);
    }
  });
});
