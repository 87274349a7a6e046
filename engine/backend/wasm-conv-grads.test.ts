/**
 * Conv2DBackpropFilter (both formulations) and Conv2DBackpropInput on wasm versus
 * tf.js's own cpu kernels, over strides, paddings, dilations and kernel shapes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Rng } from '../util/rng.js';
import { initBackend } from './select.js';
import { conv2DBackpropFilterWasm } from './wasm-kernels/conv2d-backprop-filter.js';
import { randn, relErr, runKernelOn, type Input } from './test-helpers.js';

interface Case {
  n: number;
  h: number;
  w: number;
  ci: number;
  co: number;
  kh: number;
  kw: number;
  s: [number, number];
  pad: 'same' | 'valid';
  d?: number;
}

const CASES: Case[] = [
  { n: 2, h: 7, w: 7, ci: 3, co: 4, kh: 3, kw: 3, s: [1, 1], pad: 'same' },
  { n: 2, h: 8, w: 9, ci: 3, co: 5, kh: 3, kw: 3, s: [2, 2], pad: 'same' },
  { n: 2, h: 9, w: 8, ci: 4, co: 3, kh: 3, kw: 3, s: [2, 2], pad: 'valid' },
  { n: 3, h: 6, w: 6, ci: 5, co: 6, kh: 1, kw: 1, s: [1, 1], pad: 'valid' },
  { n: 2, h: 6, w: 7, ci: 4, co: 2, kh: 1, kw: 1, s: [2, 2], pad: 'same' },
  { n: 2, h: 9, w: 10, ci: 2, co: 3, kh: 3, kw: 5, s: [1, 1], pad: 'same' },
  { n: 2, h: 10, w: 9, ci: 3, co: 4, kh: 5, kw: 3, s: [2, 1], pad: 'valid' },
  { n: 1, h: 12, w: 11, ci: 20, co: 6, kh: 3, kw: 3, s: [1, 2], pad: 'same' },
  { n: 2, h: 5, w: 5, ci: 8, co: 3, kh: 5, kw: 5, s: [1, 1], pad: 'same' },
  { n: 2, h: 11, w: 11, ci: 3, co: 4, kh: 3, kw: 3, s: [1, 1], pad: 'same', d: 2 },
  { n: 2, h: 11, w: 12, ci: 3, co: 2, kh: 3, kw: 2, s: [1, 1], pad: 'valid', d: 2 },
];

const label = (c: Case) => `${c.n}x${c.h}x${c.w}x${c.ci}->${c.co} k${c.kh}x${c.kw} s${c.s.join(',')} ${c.pad}${c.d ? ` d${c.d}` : ''}`;

/** Zero-inserts a [kh,kw,ci,co] filter for dilation d (the cpu kernels have no dilation). */
function dilateFilter(w: Float32Array, kh: number, kw: number, ci: number, co: number, d: number): Input {
  const eh = (kh - 1) * d + 1;
  const ew = (kw - 1) * d + 1;
  const out = new Float32Array(eh * ew * ci * co);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++) for (let c = 0; c < ci * co; c++) out[(i * d * ew + j * d) * ci * co + c] = w[(i * kw + j) * ci * co + c];
  return { values: out, shape: [eh, ew, ci, co] };
}

function outLen(len: number, k: number, s: number, pad: 'same' | 'valid'): number {
  return pad === 'same' ? Math.ceil(len / s) : Math.ceil((len - k + 1) / s);
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('Conv2DBackpropFilter on wasm', () => {
  const rng = new Rng(1234);
  for (const c of CASES) {
    it(label(c), async () => {
      const d = c.d ?? 1;
      const eh = (c.kh - 1) * d + 1;
      const ew = (c.kw - 1) * d + 1;
      const ho = outLen(c.h, eh, c.s[0], c.pad);
      const wo = outLen(c.w, ew, c.s[1], c.pad);
      const x: Input = { values: randn(rng, c.n * c.h * c.w * c.ci), shape: [c.n, c.h, c.w, c.ci] };
      const dy: Input = { values: randn(rng, c.n * ho * wo * c.co), shape: [c.n, ho, wo, c.co] };
      const common = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
      const ref = await runKernelOn(
        tf,
        'cpu',
        'Conv2DBackpropFilter',
        { x, dy },
        {
          ...common,
          filterShape: [eh, ew, c.ci, c.co],
        },
      );
      // Reference for dilation: gradient of the zero-inserted filter, sampled every d taps.
      const refVals = new Float32Array(c.kh * c.kw * c.ci * c.co);
      for (let i = 0; i < c.kh; i++)
        for (let j = 0; j < c.kw; j++)
          for (let k = 0; k < c.ci * c.co; k++) refVals[(i * c.kw + j) * c.ci * c.co + k] = ref.values[(i * d * ew + j * d) * c.ci * c.co + k];
      const attrs = { ...common, filterShape: [c.kh, c.kw, c.ci, c.co], dilations: [d, d] };
      const got = await runKernelOn(tf, 'wasm', 'Conv2DBackpropFilter', { x, dy }, attrs);
      expect(got.shape).toEqual([c.kh, c.kw, c.ci, c.co]);
      expect(relErr(got.values, refVals)).toBeLessThanOrEqual(1e-3);
      expect(got.leakedTensors).toBe(0);
      expect(got.leakedBuffers).toBe(0);

      // Both formulations, whichever 'auto' picked.
      const backend = tf.backend() as unknown as BackendWasm;
      for (const method of ['conv', 'patches'] as const) {
        const b0 = backend.numDataIds();
        const xt = tf.tensor(x.values, x.shape);
        const dyt = tf.tensor(dy.values, dy.shape);
        const info = conv2DBackpropFilterWasm(tf, backend, xt, dyt, attrs as never, method);
        const vals = backend.typedArrayFromHeap(info).slice();
        backend.disposeData(info.dataId);
        tf.dispose([xt, dyt]);
        expect(relErr(vals, refVals), method).toBeLessThanOrEqual(1e-3);
        expect(backend.numDataIds()).toBe(b0);
      }
    });
  }
});

describe('Conv2DBackpropInput on wasm', () => {
  const rng = new Rng(99);
  for (const c of CASES) {
    it(label(c), async () => {
      const d = c.d ?? 1;
      const ho = outLen(c.h, (c.kh - 1) * d + 1, c.s[0], c.pad);
      const wo = outLen(c.w, (c.kw - 1) * d + 1, c.s[1], c.pad);
      const wv = randn(rng, c.kh * c.kw * c.ci * c.co);
      const dy: Input = { values: randn(rng, c.n * ho * wo * c.co), shape: [c.n, ho, wo, c.co] };
      const common = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', inputShape: [c.n, c.h, c.w, c.ci] };
      const ref = await runKernelOn(
        tf,
        'cpu',
        'Conv2DBackpropInput',
        {
          dy,
          filter: dilateFilter(wv, c.kh, c.kw, c.ci, c.co, d),
        },
        common,
      );
      const got = await runKernelOn(
        tf,
        'wasm',
        'Conv2DBackpropInput',
        {
          dy,
          filter: { values: wv, shape: [c.kh, c.kw, c.ci, c.co] },
        },
        { ...common, dilations: [d, d] },
      );
      expect(got.shape).toEqual([c.n, c.h, c.w, c.ci]);
      expect(relErr(got.values, ref.values)).toBeLessThanOrEqual(1e-3);
      expect(got.leakedTensors).toBe(0);
      expect(got.leakedBuffers).toBe(0);
    });
  }

  it('matches tf.grad of conv2d through the public API (stride 2, same)', async () => {
    const rng2 = new Rng(5);
    const xv = randn(rng2, 2 * 8 * 8 * 3);
    const wv = randn(rng2, 3 * 3 * 3 * 4);
    const grads = async (b: 'cpu' | 'wasm') => {
      await tf.setBackend(b);
      const before = tf.memory().numTensors;
      const x = tf.tensor4d(xv, [2, 8, 8, 3]);
      const w = tf.tensor4d(wv, [3, 3, 3, 4]);
      const g = tf.grads((a: tf.Tensor, f: tf.Tensor) =>
        tf
          .conv2d(a as tf.Tensor4D, f as tf.Tensor4D, 2, 'same')
          .square()
          .sum(),
      )([x, w]);
      const out = g.map((t) => t.dataSync().slice());
      tf.dispose([x, w, ...g]);
      expect(tf.memory().numTensors).toBe(before);
      return out;
    };
    const ref = await grads('cpu');
    const got = await grads('wasm');
    expect(relErr(got[0], ref[0])).toBeLessThanOrEqual(1e-3);
    expect(relErr(got[1], ref[1])).toBeLessThanOrEqual(1e-3);
  });
});
