// Draws the app icon, build/icon.png (512×512, what electron-builder converts for every
// platform), from code so it can be re-made or restyled without an image editor:
// a small network (3-4-2 nodes, fully connected) on a dark rounded square.
// Usage: node build/make-icon.mjs [OUT.png]   (default: build/icon.png next to this file)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const SIZE = 512;

/** Signed distance from (x, y) to a rounded box centred in the image. */
function roundedBox(x, y, half, radius) {
  const qx = Math.abs(x - SIZE / 2) - (half - radius);
  const qy = Math.abs(y - SIZE / 2) - (half - radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

/** Signed distance from (x, y) to a segment of width `w`. */
function segment(x, y, [ax, ay], [bx, by], w) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy)) - w / 2;
}

const columns = [
  { x: 136, ys: [166, 256, 346], color: [79, 209, 197] },
  { x: 256, ys: [136, 216, 296, 376], color: [246, 173, 85] },
  { x: 376, ys: [196, 316], color: [159, 122, 234] },
];
const nodes = columns.flatMap((c) => c.ys.map((y) => ({ at: [c.x, y], color: c.color })));
const edges = columns.slice(1).flatMap((c, i) =>
  c.ys.flatMap((y) =>
    columns[i].ys.map((y0) => [
      [columns[i].x, y0],
      [c.x, y],
    ]),
  ),
);

/** Paints `color` over `px` with coverage from a signed distance (1 px anti-aliasing). */
function paint(px, distance, [r, g, b], opacity = 1) {
  const a = Math.max(0, Math.min(1, 0.5 - distance)) * opacity;
  if (a === 0) return;
  px[0] += (r - px[0]) * a;
  px[1] += (g - px[1]) * a;
  px[2] += (b - px[2]) * a;
  px[3] += (255 - px[3]) * a;
}

/** The icon as a PNG file's bytes. */
export function drawIcon() {
  const png = new PNG({ width: SIZE, height: SIZE });
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const px = [0, 0, 0, 0];
      const cx = x + 0.5;
      const cy = y + 0.5;
      paint(px, roundedBox(cx, cy, 240, 96), [31, 34, 51]);
      for (const [a, b] of edges) paint(px, segment(cx, cy, a, b, 7), [196, 206, 230], 0.45);
      for (const n of nodes) paint(px, Math.hypot(cx - n.at[0], cy - n.at[1]) - 27, n.color);
      const i = (y * SIZE + x) * 4;
      // Colours were blended over transparent black: un-premultiply for PNG's straight alpha.
      const alpha = px[3] / 255;
      for (let c = 0; c < 3; c++) png.data[i + c] = alpha === 0 ? 0 : Math.round(px[c] / alpha);
      png.data[i + 3] = Math.round(px[3]);
    }
  }
  return PNG.sync.write(png, { colorType: 6, deflateLevel: 9 });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'icon.png'));
  fs.writeFileSync(out, drawIcon());
  process.stdout.write(`wrote ${out}\n`);
}
