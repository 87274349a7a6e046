import { describe, expect, it } from 'vitest';
import { Rng } from '../util/rng.js';
import { augmentBatch, type AugmentationConfig } from './augment.js';

const none: AugmentationConfig = { flip: 'none', shift: 0, rotation: 0, noise: 0, brightness: 0 };
const H = 6;
const W = 8;
const C = 2;
const ramp = (count: number) => Float32Array.from({ length: count * H * W * C }, (_, i) => (i % 97) / 10);
const px = (img: Float32Array, y: number, x: number, k = 0) => img[(y * W + x) * C + k];

describe('augmentBatch', () => {
  it('zero settings are the identity', () => {
    const x = ramp(3);
    expect(augmentBatch(x, 3, [H, W, C], none, new Rng(1))).toEqual(x);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const cfg: AugmentationConfig = { flip: 'both', shift: 0.25, rotation: 15, noise: 0.1, brightness: 0.2 };
    const x = ramp(4);
    const a = augmentBatch(x, 4, [H, W, C], cfg, new Rng(7));
    const b = augmentBatch(x, 4, [H, W, C], cfg, new Rng(7));
    const c = augmentBatch(x, 4, [H, W, C], cfg, new Rng(8));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(x);
  });

  it('flipping twice is the identity', () => {
    const x = ramp(1);
    for (const flip of ['horizontal', 'vertical', 'both'] as const) {
      // Find a seed whose draws flip every enabled axis, then apply it twice.
      let seed = 0;
      let once: Float32Array;
      for (; ; seed++) {
        once = augmentBatch(x, 1, [H, W, C], { ...none, flip }, new Rng(seed));
        const fullyFlipped =
          flip === 'vertical'
            ? px(once, 0, 0) === px(x, H - 1, 0)
            : flip === 'horizontal'
              ? px(once, 0, 0) === px(x, 0, W - 1)
              : px(once, 0, 0) === px(x, H - 1, W - 1);
        if (fullyFlipped) break;
      }
      expect(augmentBatch(once, 1, [H, W, C], { ...none, flip }, new Rng(seed))).toEqual(x);
    }
  });

  it('shift moves content and fills with zeros', () => {
    const x = new Float32Array(H * W * C);
    x[(2 * W + 3) * C + 1] = 5; // one bright pixel at (2, 3), channel 1
    let moved = 0;
    for (let seed = 0; seed < 20; seed++) {
      const out = augmentBatch(x, 1, [H, W, C], { ...none, shift: 0.25 }, new Rng(seed));
      const idx = out.findIndex((v) => v !== 0);
      expect(idx).toBeGreaterThanOrEqual(0);
      expect(out[idx]).toBe(5); // integer shifts copy pixels exactly
      expect(out.reduce((a, v) => a + v, 0)).toBe(5);
      const y = Math.floor(idx / C / W);
      const xx = Math.floor(idx / C) % W;
      expect(Math.abs(y - 2)).toBeLessThanOrEqual(Math.round(0.25 * H));
      expect(Math.abs(xx - 3)).toBeLessThanOrEqual(Math.round(0.25 * W));
      if (y !== 2 || xx !== 3) moved++;
    }
    expect(moved).toBeGreaterThan(10);
  });

  it('rotation by a small angle keeps the centre and the mass roughly', () => {
    const x = new Float32Array(9 * 9).fill(1);
    const out = augmentBatch(x, 1, [9, 9, 1], { ...none, rotation: 10 }, new Rng(3));
    expect(out[4 * 9 + 4]).toBeCloseTo(1, 5);
    expect(out[0]).toBeLessThan(1); // a corner rotates partly out of the frame
  });

  it('brightness shifts all values of an image by one delta', () => {
    const x = ramp(1);
    const out = augmentBatch(x, 1, [H, W, C], { ...none, brightness: 0.5 }, new Rng(2));
    const d = out[0] - x[0];
    expect(Math.abs(d)).toBeLessThanOrEqual(0.5);
    for (let i = 0; i < x.length; i++) expect(out[i] - x[i]).toBeCloseTo(d, 5);
  });

  it('noise has about the requested std', () => {
    const x = new Float32Array(20 * 20 * 1);
    const out = augmentBatch(x, 1, [20, 20, 1], { ...none, noise: 0.3 }, new Rng(4));
    const std = Math.sqrt(out.reduce((a, v) => a + v * v, 0) / out.length);
    expect(std).toBeGreaterThan(0.25);
    expect(std).toBeLessThan(0.35);
  });
});
