import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipByGlobalNorm, clipByValue, clipGradients, globalNorm } from './clip.js';
import { computeLoss, regularizationLoss, type LossName } from './losses.js';
import { mlp } from './test-fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const val = (t: tf.Tensor) => {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
};
const loss = (name: LossName, y: tf.Tensor, p: tf.Tensor, fromLogits = false) => val(computeLoss(tf, name, y, p, fromLogits));

describe('losses', () => {
  it('categorical and sparse categorical cross-entropy on probabilities', () => {
    const p = tf.tensor2d([
      [0.7, 0.2, 0.1],
      [0.1, 0.1, 0.8],
    ]);
    const want = -(Math.log(0.7) + Math.log(0.8)) / 2;
    expect(
      loss(
        'categoricalCrossentropy',
        tf.tensor2d([
          [1, 0, 0],
          [0, 0, 1],
        ]),
        p,
      ),
    ).toBeCloseTo(want, 5);
    expect(loss('sparseCategoricalCrossentropy', tf.tensor1d([0, 2], 'int32'), p)).toBeCloseTo(want, 5);
  });

  it('fromLogits equals softmax + cross-entropy and stays finite for huge logits', () => {
    const logits = tf.tensor2d([
      [2, -1, 0.5],
      [0, 3, -2],
    ]);
    const y = tf.tensor1d([2, 1], 'int32');
    expect(loss('sparseCategoricalCrossentropy', y, logits, true)).toBeCloseTo(loss('sparseCategoricalCrossentropy', y, tf.softmax(logits)), 5);
    const big = loss('sparseCategoricalCrossentropy', tf.tensor1d([1], 'int32'), tf.tensor2d([[1000, -1000]]), true);
    expect(big).toBeCloseTo(2000, 1);
  });

  it('probability inputs are clipped (no Infinity for p = 0)', () => {
    const v = loss('categoricalCrossentropy', tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 0]]));
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeCloseTo(-Math.log(1e-7), 2);
  });

  it('binary cross-entropy, with and without logits', () => {
    const z = tf.tensor2d([[1], [0]]);
    const want = -(Math.log(0.9) + Math.log(1 - 0.3)) / 2;
    expect(loss('binaryCrossentropy', z, tf.tensor2d([[0.9], [0.3]]))).toBeCloseTo(want, 5);
    const logit = (p: number) => Math.log(p / (1 - p));
    expect(loss('binaryCrossentropy', z, tf.tensor2d([[logit(0.9)], [logit(0.3)]]), true)).toBeCloseTo(want, 5);
    expect(loss('binaryCrossentropy', tf.tensor2d([[0]]), tf.tensor2d([[500]]), true)).toBeCloseTo(500, 2);
  });

  it('MSE, MAE and Huber', () => {
    const y = tf.tensor2d([[1], [2], [3]]);
    const p = tf.tensor2d([[1.5], [0], [3]]);
    expect(loss('meanSquaredError', y, p)).toBeCloseTo((0.25 + 4) / 3, 5);
    expect(loss('meanAbsoluteError', y, p)).toBeCloseTo(2.5 / 3, 5);
    // |d| = 0.5 → 0.125; |d| = 2 → 2 − 0.5 = 1.5
    expect(loss('huber', y, p)).toBeCloseTo((0.125 + 1.5) / 3, 5);
  });

  it('adds L2 kernel regularizer penalties from the model', () => {
    const m = mlp(tf, { outputs: 2, l2: 0.01 });
    const reg = regularizationLoss(tf, m);
    expect(reg).not.toBeNull();
    const kernel = m.getLayer('h1').getWeights()[0];
    const want = 0.01 * tf.sum(tf.square(kernel)).dataSync()[0];
    expect(val(reg as tf.Scalar)).toBeCloseTo(want, 5);
    expect(regularizationLoss(tf, mlp(tf, { outputs: 2 }))).toBeNull();
    // It has gradients with respect to the kernel.
    const kv = m.getLayer('h1').trainableWeights[0].read() as tf.Variable;
    const { grads, value } = tf.variableGrads(() => regularizationLoss(tf, m) as tf.Scalar, [kv]);
    expect(tf.max(tf.abs(grads[kv.name])).dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([value, ...Object.values(grads)]);
  });
});

describe('clipping', () => {
  it('clip by global norm caps the norm and keeps the direction', () => {
    const g = { a: tf.tensor1d([3, 0]), b: tf.tensor1d([0, 4]) }; // norm 5
    expect(globalNorm(tf, g)).toBeCloseTo(5, 5);
    const c = clipByGlobalNorm(tf, g, 1);
    expect(globalNorm(tf, c)).toBeCloseTo(1, 5);
    expect(Array.from(c.a.dataSync())).toEqual([expect.closeTo(0.6, 5), 0]);
    const same = clipByGlobalNorm(tf, g, 10);
    expect(Array.from(same.b.dataSync())).toEqual([0, 4]);
  });

  it('clip by value clamps each element', () => {
    const c = clipByValue(tf, { a: tf.tensor1d([-3, 0.5, 2]) }, 1);
    expect(Array.from(c.a.dataSync())).toEqual([-1, 0.5, 1]);
  });

  it('clipGradients disposes what it replaces and leaks nothing', () => {
    const before = tf.memory().numTensors;
    const g = { a: tf.tensor1d([30, 40]) };
    const out = clipGradients(tf, g, { clipValue: 35, clipNorm: 5 });
    expect(g.a.isDisposed).toBe(true);
    expect(globalNorm(tf, out)).toBeCloseTo(5, 4);
    tf.dispose(Object.values(out));
    expect(tf.memory().numTensors).toBe(before);
  });
});
