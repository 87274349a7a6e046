/**
 * Pooling and upsampling gradients on wasm against brute-force references (not tf.js's
 * cpu kernels: its ResizeNearestNeighborGrad disagrees with its own forward pass, and
 * stock wasm MaxPoolGrad is wrong for non-square windows and some SAME paddings, which is
 * why max-pool-grad.ts replaces it).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../util/rng.js';
import { initBackend } from './select.js';
import { randn, relErr } from './test-helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const N = 2;
const C = 3;

type PoolCase = [h: number, w: number, ph: number, pw: number, sh: number, sw: number, pad: 'same' | 'valid'];
const POOLS: PoolCase[] = [
  [6, 6, 2, 2, 2, 2, 'valid'],
  [5, 4, 2, 2, 2, 2, 'same'],
  [8, 1, 2, 1, 2, 1, 'valid'],
  [7, 6, 3, 2, 2, 1, 'same'],
  [5, 5, 3, 3, 1, 1, 'same'],
  [9, 7, 3, 3, 2, 2, 'valid'],
  [7, 7, 2, 2, 2, 2, 'valid'],
  [9, 9, 3, 3, 3, 3, 'valid'],
  [6, 8, 3, 3, 1, 1, 'valid'],
];

/** Routes dy to the first maximum of each window (brute force). */
function maxPoolGradRef(x: Float32Array, dy: Float32Array, [h, w, ph, pw, sh, sw, pad]: PoolCase, ho: number, wo: number) {
  const pt = pad === 'same' ? Math.floor(Math.max((ho - 1) * sh + ph - h, 0) / 2) : 0;
  const pl = pad === 'same' ? Math.floor(Math.max((wo - 1) * sw + pw - w, 0) / 2) : 0;
  const ref = new Float32Array(x.length);
  for (let n = 0; n < N; n++)
    for (let oh = 0; oh < ho; oh++)
      for (let ow = 0; ow < wo; ow++)
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let at = -1;
          for (let i = 0; i < ph; i++)
            for (let j = 0; j < pw; j++) {
              const y = oh * sh + i - pt;
              const xx = ow * sw + j - pl;
              if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
              const idx = ((n * h + y) * w + xx) * C + c;
              if (x[idx] > best) {
                best = x[idx];
                at = idx;
              }
            }
          ref[at] += dy[((n * ho + oh) * wo + ow) * C + c];
        }
  return ref;
}

describe('pooling gradients on wasm', () => {
  const rng = new Rng(31);
  for (const pc of POOLS) {
    const [h, w, ph, pw, sh, sw, pad] = pc;
    it(`maxPool ${h}x${w} window ${ph}x${pw} stride ${sh}x${sw} ${pad}`, async () => {
      await tf.setBackend('wasm');
      const xv = randn(rng, N * h * w * C);
      const before = tf.memory().numTensors;
      const x = tf.tensor4d(xv, [N, h, w, C]);
      const y = tf.maxPool(x, [ph, pw], [sh, sw], pad);
      const dyv = randn(rng, y.size);
      const dy = tf.tensor(dyv, y.shape);
      const g = tf.grad((a: tf.Tensor) =>
        tf
          .maxPool(a as tf.Tensor4D, [ph, pw], [sh, sw], pad)
          .mul(dy)
          .sum(),
      )(x);
      const ref = maxPoolGradRef(xv, dyv, pc, y.shape[1], y.shape[2]);
      expect(relErr(g.dataSync(), ref)).toBeLessThanOrEqual(1e-5);
      tf.dispose([x, y, dy, g]);
      expect(tf.memory().numTensors).toBe(before);
    });

    it(`avgPool ${h}x${w} window ${ph}x${pw} stride ${sh}x${sw} ${pad} matches cpu`, async () => {
      const xv = randn(rng, N * h * w * C);
      const run = async (b: 'cpu' | 'wasm') => {
        await tf.setBackend(b);
        const x = tf.tensor4d(xv, [N, h, w, C]);
        const g = tf.grad((a: tf.Tensor) =>
          tf
            .avgPool(a as tf.Tensor4D, [ph, pw], [sh, sw], pad)
            .square()
            .sum(),
        )(x);
        const v = g.dataSync().slice();
        tf.dispose([x, g]);
        return v;
      };
      expect(relErr(await run('wasm'), await run('cpu'))).toBeLessThanOrEqual(1e-3);
    });
  }

  it('resizeNearestNeighbor (UpSampling2D) gradient scatters dy by the forward map', async () => {
    await tf.setBackend('wasm');
    for (const [align, half] of [
      [false, false],
      [false, true],
      [true, false],
    ]) {
      const x = tf.tensor4d(randn(rng, N * 5 * 4 * C), [N, 5, 4, C]);
      const dyv = randn(rng, N * 10 * 8 * C);
      const dy = tf.tensor4d(dyv, [N, 10, 8, C]);
      const g = tf.grad((a: tf.Tensor) =>
        tf.image
          .resizeNearestNeighbor(a as tf.Tensor4D, [10, 8], align, half)
          .mul(dy)
          .sum(),
      )(x);
      const idx = tf.tensor4d(
        Float32Array.from({ length: x.size }, (_, i) => i),
        x.shape,
      );
      const map = tf.image.resizeNearestNeighbor(idx, [10, 8], align, half).dataSync();
      const ref = new Float32Array(x.size);
      map.forEach((src, i) => {
        ref[src] += dyv[i];
      });
      expect(relErr(g.dataSync(), ref)).toBeLessThanOrEqual(1e-5);
      tf.dispose([x, dy, g, idx]);
    }
  });
});
