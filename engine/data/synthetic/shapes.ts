/**
 * Synthetic "shapes": 28×28 grayscale images of a filled circle, square or triangle with
 * random size, position and rotation plus slight pixel noise. A small image set that a
 * conv net learns in seconds, for trying convolutional designs without downloads.
 */
import { Rng } from '../../util/rng.js';
import { DataError, type Dataset } from '../types.js';

/** Options for {@link makeShapes}. */
export interface ShapesOptions {
  /** Number of images. Default 900. */
  count?: number;
  /** Side length in pixels. Default 28. */
  size?: number;
  /** Std-dev of the additive Gaussian pixel noise (pixels then clipped to [0, 1]). Default 0.05. */
  noise?: number;
  /** Seed; the same seed gives identical data. Default 42. */
  seed?: number;
}

/** Class names, index-aligned with the labels. */
export const SHAPE_CLASSES = ['circle', 'square', 'triangle'] as const;

type Inside = (px: number, py: number) => boolean;

function circle(cx: number, cy: number, r: number): Inside {
  const r2 = r * r;
  return (px, py) => (px - cx) ** 2 + (py - cy) ** 2 <= r2;
}

function square(cx: number, cy: number, half: number, angle: number): Inside {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return (px, py) => {
    const dx = px - cx;
    const dy = py - cy;
    return Math.abs(dx * c + dy * s) <= half && Math.abs(-dx * s + dy * c) <= half;
  };
}

function triangle(cx: number, cy: number, r: number, angle: number): Inside {
  const vx: number[] = [];
  const vy: number[] = [];
  for (let k = 0; k < 3; k++) {
    const a = angle + (k * 2 * Math.PI) / 3;
    vx.push(cx + r * Math.cos(a));
    vy.push(cy + r * Math.sin(a));
  }
  // Same-side test: the point is inside when all three edge cross products share a sign.
  return (px, py) => {
    let pos = false;
    let neg = false;
    for (let k = 0; k < 3; k++) {
      const j = (k + 1) % 3;
      const cross = (vx[j] - vx[k]) * (py - vy[k]) - (vy[j] - vy[k]) * (px - vx[k]);
      if (cross > 0) pos = true;
      else if (cross < 0) neg = true;
    }
    return !(pos && neg);
  };
}

/** Generates the shapes set: inputShape [size, size, 1], 3 balanced classes, isImage. */
export function makeShapes(opts: ShapesOptions = {}): Dataset {
  const count = opts.count ?? 900;
  const n = opts.size ?? 28;
  const noise = opts.noise ?? 0.05;
  if (!Number.isInteger(count) || count < 1) throw new DataError(`shapes: count must be a positive integer, got ${count}`);
  if (!Number.isInteger(n) || n < 8) throw new DataError(`shapes: size must be an integer >= 8, got ${n}`);
  const rng = new Rng(opts.seed ?? 42);
  const labels = new Float32Array(count);
  for (let i = 0; i < count; i++) labels[i] = i % 3;
  rng.shuffle(labels);
  const x = new Float32Array(count * n * n);
  // 2×2 supersampling gives soft edges so sizes are not quantised to whole pixels.
  const sub = [0.25, 0.75];
  for (let i = 0; i < count; i++) {
    const r = rng.uniform(n * 0.18, n * 0.4);
    const margin = r + 1;
    const cx = rng.uniform(margin, n - margin);
    const cy = rng.uniform(margin, n - margin);
    const angle = rng.uniform(0, 2 * Math.PI);
    const intensity = rng.uniform(0.7, 1);
    const cls = labels[i];
    const inside = cls === 0 ? circle(cx, cy, r * 0.9) : cls === 1 ? square(cx, cy, r * 0.75, angle) : triangle(cx, cy, r, angle);
    const base = i * n * n;
    for (let py = 0; py < n; py++) {
      for (let px = 0; px < n; px++) {
        let hits = 0;
        for (const oy of sub) for (const ox of sub) if (inside(px + ox, py + oy)) hits++;
        let v = (hits / 4) * intensity + noise * rng.normal();
        v = v < 0 ? 0 : v > 1 ? 1 : v;
        x[base + py * n + px] = v;
      }
    }
  }
  return {
    name: 'shapes',
    task: 'classification',
    count,
    inputShape: [n, n, 1],
    x,
    y: labels,
    targetShape: [],
    numClasses: 3,
    classNames: [...SHAPE_CLASSES],
    isImage: true,
    attribution: 'Synthetic (Layerloom)',
  };
}
