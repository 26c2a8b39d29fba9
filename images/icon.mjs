// Draws images/icon.png (128×128): a green nginx-style hexagon with a white lightning bolt.
// Plain polygons rasterised with 4×4 supersampling; run `node images/icon.mjs` to regenerate.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 128;
const SS = 4;
const hexagon = (r) => Array.from({ length: 6 }, (_, i) => {
  const a = ((90 + 60 * i) * Math.PI) / 180;
  return [64 + r * Math.cos(a), 64 + r * Math.sin(a)];
});
const bolt = [[73, 21.5], [39, 70.5], [61.5, 70.5], [53.5, 106.5], [89, 53.5], [66, 53.5], [75, 21.5]];
// back to front: outer hexagon, lighter ring, inner hexagon, bolt
const layers = [
  [hexagon(59), [0x00, 0x96, 0x39]],
  [hexagon(52.5), [0x4f, 0xc3, 0x6f]],
  [hexagon(50), [0x00, 0x96, 0x39]],
  [bolt, [0xff, 0xff, 0xff]],
];

function inside(poly, x, y) {
  let c = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

const rows = [];
for (let y = 0; y < N; y++) {
  const row = Buffer.alloc(1 + N * 4); // filter byte 0, then RGBA
  for (let x = 0; x < N; x++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++) for (let sx = 0; sx < SS; sx++) {
      const px = x + (sx + 0.5) / SS;
      const py = y + (sy + 0.5) / SS;
      let color;
      for (const [poly, c] of layers) if (inside(poly, px, py)) color = c;
      if (color) { r += color[0]; g += color[1]; b += color[2]; a++; }
    }
    const o = 1 + x * 4;
    if (a) { row[o] = Math.round(r / a); row[o + 1] = Math.round(g / a); row[o + 2] = Math.round(b / a); }
    row[o + 3] = Math.round((255 * a) / (SS * SS));
  }
  rows.push(row);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
