// Generates build/icon.png (512×512 RGBA) — run once: `node build/make-icon.mjs`; the PNG is
// committed. A rounded square in deep blue with two arrows (one frame out, one frame in), drawn
// with signed distances for anti-aliased edges and written by a minimal PNG encoder (node:zlib).
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SIZE = 512;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BIT_DEPTH = 8;
const COLOR_TYPE_RGBA = 6;
const FILTER_NONE = 0;

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

// Signed distance helpers (negative inside).
const sdRoundRect = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const sdSegment = (x, y, ax, ay, bx, by, w) => {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const h = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - dx * h, py - dy * h) - w;
};
const cover = (d) => Math.max(0, Math.min(1, 0.5 - d));

function arrow(x, y, y0, fromX, toX) {
  const dir = Math.sign(toX - fromX);
  const head = 56;
  return Math.min(
    sdSegment(x, y, fromX, y0, toX, y0, 18),
    sdSegment(x, y, toX, y0, toX - dir * head, y0 - head, 18),
    sdSegment(x, y, toX, y0, toX - dir * head, y0 + head, 18),
  );
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  const row = y * (SIZE * 4 + 1);
  raw[row] = FILTER_NONE;
  for (let x = 0; x < SIZE; x++) {
    const bg = cover(sdRoundRect(x + 0.5, y + 0.5, 256, 256, 240, 240, 96));
    const t = y / SIZE; // vertical gradient: #1e3a8a → #2563eb
    let r = 0x1e + (0x25 - 0x1e) * t, g = 0x3a + (0x63 - 0x3a) * t, b = 0x8a + (0xeb - 0x8a) * t;
    const out = cover(arrow(x + 0.5, y + 0.5, 196, 120, 392));
    const inn = cover(arrow(x + 0.5, y + 0.5, 316, 392, 120));
    const fg = Math.max(out, inn);
    const fgColor = out >= inn ? [255, 255, 255] : [0x7d, 0xd3, 0xfc];
    r = r * (1 - fg) + fgColor[0] * fg;
    g = g * (1 - fg) + fgColor[1] * fg;
    b = b * (1 - fg) + fgColor[2] * fg;
    const i = row + 1 + x * 4;
    raw[i] = Math.round(r);
    raw[i + 1] = Math.round(g);
    raw[i + 2] = Math.round(b);
    raw[i + 3] = Math.round(bg * 255);
  }
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = BIT_DEPTH;
ihdr[9] = COLOR_TYPE_RGBA;
const png = Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
const outFile = fileURLToPath(new URL('./icon.png', import.meta.url));
writeFileSync(outFile, png);
console.log(`wrote ${outFile} (${png.length} bytes)`);
