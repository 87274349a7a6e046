/**
 * DepthwiseConv2dNativeBackpropFilter/Input on wasm versus tf.js's cpu kernels, over
 * channel multipliers, strides, paddings, dilations and kernel shapes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../util/rng.js';
import { initBackend } from './select.js';
import { randn, relErr, runKernelOn, type Input } from './test-helpers.js';

interface Case {
  n: number;
  h: number;
  w: number;
  c: number;
  m: number;
  kh: number;
  kw: number;
  s: number;
  pad: 'same' | 'valid';
  d: number;
}

// tf.js requires stride 1 or dilation 1 for depthwise convs.
const CASES: Case[] = [
  { n: 2, h: 7, w: 7, c: 3, m: 1, kh: 3, kw: 3, s: 1, pad: 'same', d: 1 },
  { n: 2, h: 8, w: 9, c: 4, m: 2, kh: 3, kw: 3, s: 2, pad: 'same', d: 1 },
  { n: 2, h: 9, w: 8, c: 2, m: 3, kh: 3, kw: 3, s: 2, pad: 'valid', d: 1 },
  { n: 3, h: 6, w: 6, c: 5, m: 1, kh: 1, kw: 1, s: 1, pad: 'valid', d: 1 },
  { n: 2, h: 9, w: 10, c: 3, m: 2, kh: 3, kw: 5, s: 1, pad: 'same', d: 1 },
  { n: 2, h: 10, w: 9, c: 2, m: 1, kh: 5, kw: 3, s: 2, pad: 'valid', d: 1 },
  { n: 2, h: 11, w: 11, c: 3, m: 2, kh: 3, kw: 3, s: 1, pad: 'same', d: 2 },
  { n: 1, h: 12, w: 13, c: 4, m: 1, kh: 3, kw: 2, s: 1, pad: 'valid', d: 3 },
  { n: 2, h: 6, w: 6, c: 1, m: 4, kh: 2, kw: 2, s: 2, pad: 'same', d: 1 },
];

const label = (c: Case) => `${c.n}x${c.h}x${c.w}x${c.c} m${c.m} k${c.kh}x${c.kw} s${c.s} ${c.pad} d${c.d}`;

function outLen(len: number, k: number, s: number, pad: 'same' | 'valid'): number {
  return pad === 'same' ? Math.ceil(len / s) : Math.ceil((len - k + 1) / s);
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('depthwise conv gradients on wasm', () => {
  const rng = new Rng(77);
  for (const c of CASES) {
    it(label(c), async () => {
      const ho = outLen(c.h, (c.kh - 1) * c.d + 1, c.s, c.pad);
      const wo = outLen(c.w, (c.kw - 1) * c.d + 1, c.s, c.pad);
      const x: Input = { values: randn(rng, c.n * c.h * c.w * c.c), shape: [c.n, c.h, c.w, c.c] };
      const filter: Input = { values: randn(rng, c.kh * c.kw * c.c * c.m), shape: [c.kh, c.kw, c.c, c.m] };
      const dy: Input = { values: randn(rng, c.n * ho * wo * c.c * c.m), shape: [c.n, ho, wo, c.c * c.m] };
      // tf.js's cpu depthwise gradients ignore dilation in their loops, so the reference
      // uses the zero-inserted filter at dilation 1 (sampling every d-th tap for dW).
      const eh = (c.kh - 1) * c.d + 1;
      const ew = (c.kw - 1) * c.d + 1;
      const cm = c.c * c.m;
      const wide = new Float32Array(eh * ew * cm);
      for (let i = 0; i < c.kh; i++)
        for (let j = 0; j < c.kw; j++) for (let k = 0; k < cm; k++) wide[(i * c.d * ew + j * c.d) * cm + k] = filter.values[(i * c.kw + j) * cm + k];
      const wideFilter: Input = { values: wide, shape: [eh, ew, c.c, c.m] };
      const refCommon = { strides: [c.s, c.s], dilations: [1, 1], pad: c.pad, dimRoundingMode: undefined };
      const common = { ...refCommon, dilations: [c.d, c.d] };

      const fRef = await runKernelOn(
        tf,
        'cpu',
        'DepthwiseConv2dNativeBackpropFilter',
        { x, dy },
        {
          ...refCommon,
          filterShape: wideFilter.shape,
        },
      );
      const fRefVals = new Float32Array(filter.values.length);
      for (let i = 0; i < c.kh; i++)
        for (let j = 0; j < c.kw; j++) for (let k = 0; k < cm; k++) fRefVals[(i * c.kw + j) * cm + k] = fRef.values[(i * c.d * ew + j * c.d) * cm + k];
      const fGot = await runKernelOn(
        tf,
        'wasm',
        'DepthwiseConv2dNativeBackpropFilter',
        { x, dy },
        {
          ...common,
          filterShape: filter.shape,
        },
      );
      expect(fGot.shape).toEqual(filter.shape);
      expect(relErr(fGot.values, fRefVals)).toBeLessThanOrEqual(1e-3);
      expect([fGot.leakedTensors, fGot.leakedBuffers]).toEqual([0, 0]);

      const iRef = await runKernelOn(
        tf,
        'cpu',
        'DepthwiseConv2dNativeBackpropInput',
        { dy, filter: wideFilter },
        {
          ...refCommon,
          inputShape: x.shape,
        },
      );
      const iGot = await runKernelOn(
        tf,
        'wasm',
        'DepthwiseConv2dNativeBackpropInput',
        { dy, filter },
        {
          ...common,
          inputShape: x.shape,
        },
      );
      expect(iGot.shape).toEqual(x.shape);
      expect(relErr(iGot.values, iRef.values)).toBeLessThanOrEqual(1e-3);
      expect([iGot.leakedTensors, iGot.leakedBuffers]).toEqual([0, 0]);
    });
  }

  it('matches tf.grads of separableConv2d through the public API', async () => {
    const r = new Rng(8);
    const xv = randn(r, 2 * 9 * 9 * 3);
    const dv = randn(r, 3 * 3 * 3 * 2);
    const pv = randn(r, 1 * 1 * 6 * 4);
    const grads = async (b: 'cpu' | 'wasm') => {
      await tf.setBackend(b);
      const before = tf.memory().numTensors;
      const x = tf.tensor4d(xv, [2, 9, 9, 3]);
      const dw = tf.tensor4d(dv, [3, 3, 3, 2]);
      const pw = tf.tensor4d(pv, [1, 1, 6, 4]);
      const g = tf.grads((a: tf.Tensor, f: tf.Tensor, p: tf.Tensor) =>
        tf
          .separableConv2d(a as tf.Tensor4D, f as tf.Tensor4D, p as tf.Tensor4D, 2, 'same')
          .square()
          .sum(),
      )([x, dw, pw]);
      const out = g.map((t) => t.dataSync().slice());
      tf.dispose([x, dw, pw, ...g]);
      expect(tf.memory().numTensors).toBe(before);
      return out;
    };
    const ref = await grads('cpu');
    const got = await grads('wasm');
    for (let i = 0; i < 3; i++) expect(relErr(got[i], ref[i])).toBeLessThanOrEqual(1e-3);
  });
});
