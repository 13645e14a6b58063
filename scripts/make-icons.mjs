// Draws Workstation's icons (a magnifying glass) as real PNGs with no image library:
// shapes are signed-distance functions, anti-aliased by coverage, written with node:zlib.
// Run: node scripts/make-icons.mjs (the PNGs are committed; rerun only to change the design).
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buffer) => {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};
const png = (size, pixel) => {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel((x + 0.5) / size, (y + 0.5) / size, 1 / size);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
};

const clamp = (v) => Math.max(0, Math.min(1, v));
const coverage = (distance, pixel) => clamp(0.5 - distance / pixel);
const ring = (x, y) => Math.abs(Math.hypot(x - 0.42, y - 0.42) - 0.22) - 0.07;
const handle = (x, y) => {
  // A capsule from the ring's edge towards the bottom-right corner.
  const [ax, ay, bx, by] = [0.6, 0.6, 0.82, 0.82];
  const t = clamp(
    ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2),
  );
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) - 0.075;
};
const glass = (x, y) => Math.min(ring(x, y), handle(x, y));
const roundedSquare = (x, y) => {
  const [qx, qy] = [Math.abs(x - 0.5) - 0.5 + 0.22, Math.abs(y - 0.5) - 0.5 + 0.22];
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - 0.18;
};

// Tray: a monochrome glyph (macOS uses its alpha as a template; black reads on light trays elsewhere).
const tray = (x, y, px) => [0, 0, 0, Math.round(255 * coverage(glass(x, y), px))];
// App icon: a white glass on a blue rounded square.
const app = (x, y, px) => {
  const bg = coverage(roundedSquare(x, y), px);
  const fg = coverage(glass((x - 0.5) * 1.25 + 0.5, (y - 0.5) * 1.25 + 0.5), px * 1.25);
  const mix = (a, b) => Math.round(a * (1 - fg) + b * fg);
  return [mix(37, 255), mix(99, 255), mix(235, 255), Math.round(255 * bg)];
};

const out = new URL('../assets/', import.meta.url);
for (const [name, size, draw] of [
  ['trayTemplate.png', 16, tray],
  ['trayTemplate@2x.png', 32, tray],
  ['tray.png', 32, tray],
  ['icon.png', 512, app],
  ['icon-256.png', 256, app],
]) {
  writeFileSync(new URL(name, out), png(size, draw));
  console.log(`assets/${name} ${size}x${size}`);
}
