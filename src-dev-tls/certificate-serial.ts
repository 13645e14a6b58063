import { randomBytes } from 'node:crypto';

/**
 * A certificate serial for node-forge (hex): 16 random bytes, positive and with no leading zero
 * byte. DER integers are minimal (X.690 8.3.2): forge writes the hex as given, so a serial starting
 * `00` followed by a byte below 0x80 is "illegal padding" that OpenSSL refuses when it parses the
 * certificate. The first byte is kept in 0x40-0x7f: never zero, never negative.
 */
export function certificateSerial(random: (size: number) => Buffer = randomBytes): string {
  const bytes = Buffer.from(random(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x3f) | 0x40;
  return bytes.toString('hex');
}
