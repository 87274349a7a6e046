/**
 * On-the-fly image augmentation for NHWC batches held as Float32Arrays. Runs on the CPU in
 * plain JS before the batch becomes a tensor, draws every random number from the caller's
 * seeded Rng (so a run, and a resumed run, sees the same augmented batches), and is applied
 * to training batches only.
 */
import type { Rng } from '../util/rng.js';
import type { TrainingConfig } from './config.js';

/** Augmentation settings (the config's `augmentation` section). */
export type AugmentationConfig = NonNullable<TrainingConfig['augmentation']>;

/** True when the settings change nothing, so the batch can be used as is. */
export function isIdentityAugmentation(cfg: AugmentationConfig | undefined): boolean {
  return !cfg || (cfg.flip === 'none' && cfg.shift === 0 && cfg.rotation === 0 && cfg.noise === 0 && cfg.brightness === 0);
}

/**
 * Returns an augmented copy of `x` (`count` images of `[height, width, channels]`).
 * Per image, in order: random flip (each enabled axis with probability ½), a random shift of
 * up to `shift · size` pixels per axis plus a rotation of up to ±`rotation` degrees about the
 * centre (one affine resample, bilinear, zero outside — the same as padding then cropping
 * for pure shifts), a brightness offset uniform in ±`brightness`, then Gaussian noise with
 * std `noise` per value. Disabled steps draw no random numbers.
 */
export function augmentBatch(x: Float32Array, count: number, shape: readonly number[], cfg: AugmentationConfig, rng: Rng): Float32Array {
  if (shape.length !== 3) throw new Error(`augmentation needs image samples [height, width, channels], got [${shape}]`);
  const [h, w, c] = shape;
  const size = h * w * c;
  if (x.length !== count * size) throw new Error(`augmentation: batch has ${x.length} values, expected ${count}×${size}`);
  const out = new Float32Array(x);
  if (isIdentityAugmentation(cfg)) return out;
  const tmp = new Float32Array(size);
  for (let n = 0; n < count; n++) {
    const img = out.subarray(n * size, (n + 1) * size);
    const flipH = (cfg.flip === 'horizontal' || cfg.flip === 'both') && rng.next() < 0.5;
    const flipV = (cfg.flip === 'vertical' || cfg.flip === 'both') && rng.next() < 0.5;
    if (flipH || flipV) flip(img, tmp, h, w, c, flipH, flipV);
    const maxDy = Math.round(cfg.shift * h);
    const maxDx = Math.round(cfg.shift * w);
    const dy = maxDy > 0 ? rng.int(2 * maxDy + 1) - maxDy : 0;
    const dx = maxDx > 0 ? rng.int(2 * maxDx + 1) - maxDx : 0;
    const angle = cfg.rotation > 0 ? (rng.uniform(-cfg.rotation, cfg.rotation) * Math.PI) / 180 : 0;
    if (dx !== 0 || dy !== 0 || angle !== 0) affine(img, tmp, h, w, c, dx, dy, angle);
    if (cfg.brightness > 0) {
      const delta = rng.uniform(-cfg.brightness, cfg.brightness);
      for (let i = 0; i < size; i++) img[i] += delta;
    }
    if (cfg.noise > 0) {
      for (let i = 0; i < size; i++) img[i] += cfg.noise * rng.normal();
    }
  }
  return out;
}

/** Mirrors one image in place (via `tmp`). */
function flip(img: Float32Array, tmp: Float32Array, h: number, w: number, c: number, horizontal: boolean, vertical: boolean): void {
  tmp.set(img);
  for (let y = 0; y < h; y++) {
    const sy = vertical ? h - 1 - y : y;
    for (let x = 0; x < w; x++) {
      const sx = horizontal ? w - 1 - x : x;
      const d = (y * w + x) * c;
      const s = (sy * w + sx) * c;
      for (let k = 0; k < c; k++) img[d + k] = tmp[s + k];
    }
  }
}

/**
 * Moves content by (dx, dy) pixels and rotates it by `angle` about the centre, in place.
 * Each output pixel samples the source at the inverse-transformed position (bilinear; zero
 * outside), so integer shifts copy pixels exactly.
 */
function affine(img: Float32Array, tmp: Float32Array, h: number, w: number, c: number, dx: number, dy: number, angle: number): void {
  tmp.set(img);
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const at = (yy: number, xx: number, k: number) => (yy < 0 || yy >= h || xx < 0 || xx >= w ? 0 : tmp[(yy * w + xx) * c + k]);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Undo the shift, then the rotation: source = R(−angle)·(p − t − centre) + centre.
      const py = y - dy - cy;
      const px = x - dx - cx;
      const sy = cos * py - sin * px + cy;
      const sx = sin * py + cos * px + cx;
      const y0 = Math.floor(sy);
      const x0 = Math.floor(sx);
      const fy = sy - y0;
      const fx = sx - x0;
      const d = (y * w + x) * c;
      for (let k = 0; k < c; k++) {
        // Skip neighbours with zero weight so exact positions never touch out-of-range pixels.
        let v = (1 - fy) * (1 - fx) * at(y0, x0, k);
        if (fx > 1e-9) v += (1 - fy) * fx * at(y0, x0 + 1, k);
        if (fy > 1e-9) v += fy * (1 - fx) * at(y0 + 1, x0, k);
        if (fx > 1e-9 && fy > 1e-9) v += fy * fx * at(y0 + 1, x0 + 1, k);
        img[d + k] = v;
      }
    }
  }
}
