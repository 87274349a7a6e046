/**
 * BatchMatMul (transposed operands) and UnsortedSegmentSum on wasm versus tf.js's cpu
 * kernels, plus the Embedding gradient through the public API.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../util/rng.js';
import { initBackend } from './select.js';
import { randn, relErr, runKernelOn, type Input } from './test-helpers.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('BatchMatMul on wasm', () => {
  const rng = new Rng(3);
  const shapes: [number[], number[], boolean, boolean][] = [
    [[5, 7], [7, 3], false, false],
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[2, 7, 5], [2, 7, 4], true, false],
    [[3, 4, 6], [1, 5, 6], false, true],
    [[1, 6], [4, 6], false, true],
    [[6, 1], [6, 4], true, false],
    [[40, 33], [40, 17], true, false],
  ];
  for (const [as, bs, ta, tb] of shapes) {
    it(`${as} x ${bs} tA=${ta} tB=${tb}`, async () => {
      const a: Input = {
        values: randn(
          rng,
          as.reduce((p, q) => p * q, 1),
        ),
        shape: as,
      };
      const b: Input = {
        values: randn(
          rng,
          bs.reduce((p, q) => p * q, 1),
        ),
        shape: bs,
      };
      const attrs = { transposeA: ta, transposeB: tb };
      const ref = await runKernelOn(tf, 'cpu', 'BatchMatMul', { a, b }, attrs);
      const got = await runKernelOn(tf, 'wasm', 'BatchMatMul', { a, b }, attrs);
      expect(got.shape).toEqual(ref.shape);
      expect(relErr(got.values, ref.values)).toBeLessThanOrEqual(1e-3);
      expect([got.leakedTensors, got.leakedBuffers]).toEqual([0, 0]);
    });
  }
  // Speed of the transposed path is measured in `npm run bench`, not asserted in a test.
});

describe('UnsortedSegmentSum on wasm', () => {
  const rng = new Rng(11);
  const cases: [number[], number, number[]][] = [
    // [x shape, numSegments, segmentIds shape]
    [[10], 4, [10]],
    [[12, 5], 7, [12]],
    [[6, 3, 4], 3, [6]],
  ];
  for (const [xs, ns, ids] of cases) {
    it(`x ${xs} into ${ns} segments`, async () => {
      const nIds = ids.reduce((p, q) => p * q, 1);
      const segs = new Int32Array(nIds);
      for (let i = 0; i < nIds; i++) segs[i] = rng.int(ns);
      const x: Input = {
        values: randn(
          rng,
          xs.reduce((p, q) => p * q, 1),
        ),
        shape: xs,
      };
      const inputs = { x, segmentIds: { values: segs, shape: ids, dtype: 'int32' as const } };
      const ref = await runKernelOn(tf, 'cpu', 'UnsortedSegmentSum', inputs, { numSegments: ns });
      const got = await runKernelOn(tf, 'wasm', 'UnsortedSegmentSum', inputs, { numSegments: ns });
      expect(got.shape).toEqual(ref.shape);
      expect(relErr(got.values, ref.values)).toBeLessThanOrEqual(1e-3);
      expect([got.leakedTensors, got.leakedBuffers]).toEqual([0, 0]);
    });
  }

  it('sums int32 values and drops negative ids', async () => {
    const x: Input = { values: new Int32Array([1, 2, 3, 4, 5]), shape: [5], dtype: 'int32' };
    const segmentIds: Input = { values: new Int32Array([0, -1, 2, 0, 2]), shape: [5], dtype: 'int32' };
    const got = await runKernelOn(tf, 'wasm', 'UnsortedSegmentSum', { x, segmentIds }, { numSegments: 3 });
    expect(Array.from(got.values)).toEqual([5, 0, 8]);
  });

  it('gives the gradient of tf.gather (Embedding)', async () => {
    const r = new Rng(12);
    const tv = randn(r, 20 * 6);
    const idv = new Int32Array(15);
    for (let i = 0; i < idv.length; i++) idv[i] = r.int(20);
    const grad = async (b: 'cpu' | 'wasm') => {
      await tf.setBackend(b);
      const before = tf.memory().numTensors;
      const table = tf.tensor2d(tv, [20, 6]);
      const ids = tf.tensor2d(idv, [3, 5], 'int32');
      const g = tf.grad((t: tf.Tensor) => tf.gather(t, ids).square().sum())(table);
      const out = g.dataSync().slice();
      tf.dispose([table, ids, g]);
      expect(tf.memory().numTensors).toBe(before);
      return out;
    };
    const ref = await grad('cpu');
    const got = await grad('wasm');
    expect(relErr(got, ref)).toBeLessThanOrEqual(1e-3);
  });
});
