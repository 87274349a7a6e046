import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../data/types.js';
import { EarlyStopping, isImprovement, resolveMode, WeightSnapshot } from './early-stopping.js';
import { evaluateModel } from './evaluate.js';
import { mlp, waves, weightValues } from './test-fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A model whose output is its input (a linear layer with identity kernel, zero bias). */
function identity(units: number, activation: 'linear' | 'softmax' | 'sigmoid' = 'linear'): tf.LayersModel {
  const m = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [units], units, activation, kernelInitializer: 'identity', biasInitializer: 'zeros' })],
  });
  return m;
}

const ds = (x: number[], y: number[], inputs: number, numClasses: number): Dataset => ({
  name: 'hand',
  task: 'classification',
  count: y.length,
  inputShape: [inputs],
  x: Float32Array.from(x),
  y: Float32Array.from(y),
  targetShape: [],
  numClasses,
});

describe('evaluateModel', () => {
  it('classification: loss, probabilities, confusion matrix and ROC on known outputs', async () => {
    // Rows are already probabilities; predicted classes: 0, 1, 1, 2.
    const probs = [0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.3, 0.6, 0.1, 0.2, 0.2, 0.6];
    const data = ds(probs, [0, 1, 0, 2], 3, 3);
    const r = await evaluateModel(tf, identity(3), data, { loss: 'sparseCategoricalCrossentropy', fromLogits: false, batchSize: 3 });
    const want = -(Math.log(0.7) + Math.log(0.8) + Math.log(0.3) + Math.log(0.6)) / 4;
    expect(r.loss).toBeCloseTo(want, 5);
    expect(Array.from(r.predictions)).toEqual(probs.map((p) => expect.closeTo(p, 6)));
    expect(r.classification?.confusion).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(r.classification?.accuracy).toBe(0.75);
    // Class 0 one-vs-rest: scores 0.7 (pos), 0.1, 0.3 (pos), 0.2 → pos ranks 1st and 2nd → AUC 1.
    expect(r.classification?.roc[0]?.auc).toBe(1);
    expect(r.classification?.auc).toBeCloseTo(1, 6);
  });

  it('logits are turned into probabilities; one sigmoid unit gives two classes', async () => {
    const data = ds([2, -1, 0.5, -3], [1, 0, 0, 0], 1, 2);
    const r = await evaluateModel(tf, identity(1), data, { loss: 'binaryCrossentropy', fromLogits: true });
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    expect(Array.from(r.predictions)).toEqual([2, -1, 0.5, -3].map((v) => expect.closeTo(sig(v), 5)));
    expect(r.classification?.confusion).toEqual([
      [2, 1],
      [0, 1],
    ]);
    expect(r.classification?.auc).toBe(1);
  });

  it('regression gives mse/mae and leaks no tensors', async () => {
    const model = mlp(tf, { outputs: 1, activation: 'linear' });
    const data = waves(50, 1);
    const before = tf.memory().numTensors;
    const r = await evaluateModel(tf, model, data, { loss: 'meanSquaredError', fromLogits: false, batchSize: 16 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.regression?.mse).toBeCloseTo(r.loss, 5);
    expect(r.predictions).toHaveLength(50);
    expect(r.classification).toBeUndefined();
  });
});

describe('early stopping', () => {
  it('mode auto picks min for losses and errors, max otherwise', () => {
    expect(['valLoss', 'loss', 'valMse', 'mae'].map((m) => resolveMode(m, 'auto'))).toEqual(['min', 'min', 'min', 'min']);
    expect(['valAccuracy', 'valF1', 'valAuc'].map((m) => resolveMode(m, 'auto'))).toEqual(['max', 'max', 'max']);
    expect(resolveMode('valLoss', 'max')).toBe('max');
    expect(isImprovement('min', 0.9, 1, 0.05)).toBe(true);
    expect(isImprovement('min', 0.97, 1, 0.05)).toBe(false);
    expect(isImprovement('max', NaN, null)).toBe(false);
  });

  it('stops after patience epochs without improvement', () => {
    const es = new EarlyStopping({ monitor: 'valAccuracy', mode: 'auto', patience: 2, minDelta: 0.01, restoreBest: true });
    const seq = [0.5, 0.6, 0.605, 0.7, 0.69, 0.7];
    const out = seq.map((v, i) => es.update(i + 1, { loss: 0, valAccuracy: v }));
    expect(out.map((o) => o.improved)).toEqual([true, true, false, true, false, false]);
    expect(out.map((o) => o.stop)).toEqual([false, false, false, false, false, true]);
    expect(es.state).toEqual({ best: 0.7, bestEpoch: 4, wait: 2 });
    expect(() => es.update(7, { loss: 1 })).toThrow(/'valAccuracy' is not reported; epoch metrics are: loss/);
  });

  it('weight snapshots restore exactly and free their tensors', () => {
    const model = mlp(tf, { outputs: 2 });
    const saved = weightValues(model);
    const before = tf.memory().numTensors;
    const snap = new WeightSnapshot(tf);
    snap.take(model);
    snap.take(model); // replaces (and frees) the first copy
    tf.tidy(() => model.weights.forEach((w) => w.write(tf.zerosLike(w.read()))));
    expect(weightValues(model)).not.toEqual(saved);
    snap.restore(model);
    expect(weightValues(model)).toEqual(saved);
    snap.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
