/**
 * Synthetic "spirals": k interleaved spiral arms in 2-D, the classic set a linear model
 * cannot separate, so it shows quickly whether hidden layers help.
 */
import { Rng } from '../../util/rng.js';
import { DataError, type Dataset } from '../types.js';

/** Options for {@link makeSpirals}. */
export interface SpiralsOptions {
  /** Total samples (split evenly across arms; the first arms get the remainder). Default 600. */
  count?: number;
  /** Number of arms = classes. Default 3. */
  classes?: number;
  /** Standard deviation of the angular noise. Default 0.2. */
  noise?: number;
  /** Seed; the same seed gives identical data. Default 42. */
  seed?: number;
}

/** Generates the spirals set; samples are shuffled so classes are interleaved in order too. */
export function makeSpirals(opts: SpiralsOptions = {}): Dataset {
  const count = opts.count ?? 600;
  const k = opts.classes ?? 3;
  const noise = opts.noise ?? 0.2;
  if (!Number.isInteger(count) || count < 1) throw new DataError(`spirals: count must be a positive integer, got ${count}`);
  if (!Number.isInteger(k) || k < 2) throw new DataError(`spirals: classes must be an integer >= 2, got ${k}`);
  const rng = new Rng(opts.seed ?? 42);
  const x = new Float32Array(count * 2);
  const y = new Float32Array(count);
  // Each arm sweeps 4 radians (as in the CS231n example) offset by 2π/k so arms interleave.
  const sweep = 4;
  let i = 0;
  for (let c = 0; c < k; c++) {
    const n = Math.floor(count / k) + (c < count % k ? 1 : 0);
    for (let j = 0; j < n; j++, i++) {
      const f = n > 1 ? j / (n - 1) : 0.5;
      const r = 0.05 + 0.95 * f;
      const t = (c * 2 * Math.PI) / k + f * sweep + rng.normal() * noise;
      x[i * 2] = r * Math.sin(t);
      x[i * 2 + 1] = r * Math.cos(t);
      y[i] = c;
    }
  }
  const perm = rng.permutation(count);
  const xs = new Float32Array(count * 2);
  const ys = new Float32Array(count);
  for (let p = 0; p < count; p++) {
    const s = perm[p];
    xs[p * 2] = x[s * 2];
    xs[p * 2 + 1] = x[s * 2 + 1];
    ys[p] = y[s];
  }
  return {
    name: 'spirals',
    task: 'classification',
    count,
    inputShape: [2],
    x: xs,
    y: ys,
    targetShape: [],
    numClasses: k,
    classNames: Array.from({ length: k }, (_, c) => `arm ${c}`),
    attribution: 'Synthetic (Layerloom)',
  };
}
