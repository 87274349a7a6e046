import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainingConfigSchema } from './config.js';
import type { EpochEvent, TrainEvent } from './events.js';
import { trainModel } from './loop.js';
import { Rng, withSeededMathRandom } from '../util/rng.js';
import { blobs, mlp, waves, weightValues } from './test-fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const cfg = (o: object) => trainingConfigSchema.parse(o);
const sparse = { loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], fromLogits: false };

describe('trainModel', () => {
  for (const name of ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam', 'adamw'] as const) {
    it(`${name} reduces the loss on 3 seeded blobs`, async () => {
      const model = mlp(tf, { outputs: 3, seed: 3 });
      const lr = name === 'sgd' ? 0.2 : name === 'momentum' || name === 'nesterov' ? 0.05 : 0.02;
      const res = await trainModel({
        tf,
        model,
        output: sparse,
        train: blobs(240, 3, 11),
        config: cfg({ epochs: 6, batchSize: 32, seed: 5, optimizer: { name, learningRate: lr } }),
      });
      expect(res.status).toBe('completed');
      expect(res.history).toHaveLength(6);
      const first = res.history[0].loss;
      const last = res.history[5].loss;
      expect(last).toBeLessThan(first * 0.7);
      expect(res.history[5].valAccuracy).toBeGreaterThan(0.8);
      model.dispose();
    });
  }

  it('emits start, batch, epoch and done events with the documented fields', async () => {
    const events: TrainEvent[] = [];
    const model = mlp(tf, { outputs: 3, dropout: 0.2, l2: 1e-3 });
    await trainModel({
      tf,
      model,
      output: { loss: 'categoricalCrossentropy', metrics: ['accuracy', 'auc'], fromLogits: false },
      train: blobs(120, 3, 2),
      validation: blobs(60, 3, 3),
      config: cfg({ epochs: 2, batchSize: 16, optimizer: { learningRate: 0.01 }, lrSchedule: { type: 'cosine' }, warmupEpochs: 0.5, clipNorm: 1 }),
      onEvent: (e) => events.push(e),
      batchEventIntervalMs: 0,
    });
    expect(events[0]).toMatchObject({ event: 'start', epochs: 2, stepsPerEpoch: 8, trainCount: 120, valCount: 60, startEpoch: 1 });
    expect((events[0] as { params: number }).params).toBe(2 * 16 + 16 + 16 * 3 + 3);
    const batches = events.filter((e) => e.event === 'batch');
    expect(batches).toHaveLength(16);
    expect(batches[0]).toMatchObject({ epoch: 1, batch: 1 });
    // Warm-up over half an epoch (4 steps): the first step runs at a quarter of the rate.
    expect((batches[0] as { lr: number }).lr).toBeCloseTo(0.0025, 8);
    const epochs = events.filter((e): e is EpochEvent => e.event === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    for (const k of ['loss', 'accuracy', 'valLoss', 'valAccuracy', 'valPrecision', 'valRecall', 'valF1', 'valAuc']) {
      expect(Number.isFinite(epochs[1].metrics[k]), k).toBe(true);
    }
    expect(epochs[1].durationMs).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ event: 'done', status: 'completed', epochs: 2 });
    model.dispose();
  });

  it('throttles batch events', async () => {
    const events: TrainEvent[] = [];
    const model = mlp(tf, { outputs: 3 });
    await trainModel({
      tf,
      model,
      output: sparse,
      train: blobs(400, 3, 2),
      config: cfg({ epochs: 1, batchSize: 4, validationSplit: 0 }),
      onEvent: (e) => events.push(e),
      batchEventIntervalMs: 60_000,
    });
    // First batch and the last batch of the epoch only.
    expect(events.filter((e) => e.event === 'batch').map((e) => (e as { batch: number }).batch)).toEqual([1, 100]);
    model.dispose();
  });

  it('regression reports mse/mae and reduces the loss', async () => {
    const model = mlp(tf, { outputs: 1, activation: 'linear', hidden: 24 });
    const res = await trainModel({
      tf,
      model,
      output: { loss: 'meanSquaredError', metrics: ['mse', 'mae'], fromLogits: false },
      train: waves(300, 4),
      config: cfg({ epochs: 8, batchSize: 32, optimizer: { learningRate: 0.02 } }),
    });
    const [first, last] = [res.history[0], res.history[7]];
    expect(last.loss).toBeLessThan(first.loss * 0.5);
    expect(last.valMse).toBeCloseTo(last.valLoss as number, 5);
    expect(last.valMae).toBeGreaterThan(0);
    expect(last.mse).toBeGreaterThan(0);
    model.dispose();
  });

  it('early stopping stops and restores the best weights', async () => {
    const events: TrainEvent[] = [];
    const model = mlp(tf, { outputs: 3 });
    const snapshots = new Map<number, Float32Array[]>();
    // minDelta larger than any possible gain: only epoch 1 counts as an improvement, so the
    // run must stop after patience (2) more epochs and put epoch 1's weights back.
    const res = await trainModel({
      tf,
      model,
      output: sparse,
      train: blobs(150, 3, 8),
      config: cfg({
        epochs: 40,
        batchSize: 16,
        optimizer: { learningRate: 0.01 },
        earlyStopping: { monitor: 'valLoss', patience: 2, minDelta: 100, restoreBest: true },
      }),
      onEvent: (e) => {
        events.push(e);
        if (e.event === 'epoch') snapshots.set(e.epoch, weightValues(model));
      },
    });
    expect(res.status).toBe('stopped-early');
    expect(res.epochs).toBe(3);
    const stop = events.find((e) => e.event === 'early-stop');
    expect(stop).toMatchObject({ event: 'early-stop', epoch: 3, bestEpoch: 1, monitor: 'valLoss', best: res.history[0].valLoss });
    expect(res.bestEpoch).toBe(1);
    expect(res.metrics).toEqual(res.history[0]);
    expect(weightValues(model)).toEqual(snapshots.get(1));
    expect(weightValues(model)).not.toEqual(snapshots.get(3));
    expect(events.at(-1)).toMatchObject({ event: 'done', status: 'stopped-early', bestEpoch: 1, epochs: 3 });
    model.dispose();
  });

  it('cancels promptly via AbortSignal and frees its tensors', async () => {
    const model = mlp(tf, { outputs: 3 });
    const before = tf.memory().numTensors;
    const ac = new AbortController();
    let batches = 0;
    const res = await trainModel({
      tf,
      model,
      output: sparse,
      train: blobs(3000, 3, 1),
      config: cfg({ epochs: 50, batchSize: 8 }),
      signal: ac.signal,
      batchEventIntervalMs: 0,
      onEvent: (e) => {
        if (e.event === 'batch' && ++batches === 5) setTimeout(() => ac.abort(), 0);
      },
    });
    expect(res.status).toBe('cancelled');
    // Promptly = within a few batches of the abort (counted, not timed: a loaded machine slows
    // the clock, not the order of events); 50 epochs of 375 batches would be 18,750.
    expect(batches).toBeLessThan(10);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('does not leak tensors across epochs', async () => {
    const counts: number[] = [];
    const model = mlp(tf, { outputs: 3, dropout: 0.3, l2: 1e-3 });
    await trainModel({
      tf,
      model,
      output: { loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], fromLogits: true },
      train: blobs(90, 3, 1),
      config: cfg({
        epochs: 4,
        batchSize: 16,
        clipNorm: 1,
        clipValue: 0.5,
        optimizer: { name: 'adamw' },
        earlyStopping: { monitor: 'valAccuracy', patience: 10 },
      }),
      onEvent: (e) => {
        if (e.event === 'epoch') counts.push(tf.memory().numTensors);
      },
    });
    // Epoch 1 creates the optimizer's slots and the best-weights copy; after that, flat.
    expect(counts[1]).toBe(counts[2]);
    expect(counts[2]).toBe(counts[3]);
    model.dispose();
  });

  it('trains a conv + BatchNorm functional model on augmented images (moving stats update, no leaks)', async () => {
    const rng = new Rng(1);
    const n = 48;
    const x = Float32Array.from({ length: n * 36 }, () => rng.next());
    const y = Float32Array.from({ length: n }, (_, i) => i % 2);
    for (let i = 0; i < n; i++) if (y[i]) for (let p = 0; p < 18; p++) x[i * 36 + p] += 1;
    const model = withSeededMathRandom(2, () => {
      const inp = tf.input({ shape: [6, 6, 1] });
      let h = tf.layers.conv2d({ name: 'c1', filters: 4, kernelSize: 3, activation: 'relu' }).apply(inp) as tf.SymbolicTensor;
      h = tf.layers.batchNormalization({ name: 'bn' }).apply(h) as tf.SymbolicTensor;
      h = tf.layers.flatten({ name: 'f' }).apply(h) as tf.SymbolicTensor;
      return tf.model({ inputs: inp, outputs: tf.layers.dense({ name: 'o', units: 2 }).apply(h) as tf.SymbolicTensor });
    });
    const counts: number[] = [];
    const res = await trainModel({
      tf,
      model,
      output: { loss: 'sparseCategoricalCrossentropy', metrics: [], fromLogits: true },
      train: { name: 'img', task: 'classification', count: n, inputShape: [6, 6, 1], x, y, targetShape: [], numClasses: 2, isImage: true },
      config: cfg({ epochs: 3, batchSize: 8, optimizer: { learningRate: 0.01 }, augmentation: { shift: 0.2, flip: 'vertical' } }),
      onEvent: (e) => {
        if (e.event === 'epoch') counts.push(tf.memory().numTensors);
      },
    });
    expect(res.history[2].loss).toBeLessThan(res.history[0].loss);
    expect(model.getLayer('bn').getWeights()[2].dataSync()[0]).not.toBe(0); // moving mean moved
    expect(counts[1]).toBe(counts[2]);
    model.dispose();
  });

  it('rejects augmentation on non-image data', async () => {
    const base = { tf, output: sparse, train: blobs(20, 2, 1), model: mlp(tf, { outputs: 2 }) };
    await expect(trainModel({ ...base, config: cfg({ augmentation: { noise: 0.1 } }) })).rejects.toThrow(/augmentation needs image data/);
  });

  it('rejects models with several inputs or outputs and unknown losses', async () => {
    const a = tf.input({ shape: [2] });
    const b = tf.input({ shape: [2] });
    const two = tf.model({ inputs: [a, b], outputs: tf.layers.add().apply([a, b]) as tf.SymbolicTensor });
    const base = { tf, output: sparse, train: blobs(20, 2, 1), config: cfg({ epochs: 1 }) };
    await expect(trainModel({ ...base, model: two })).rejects.toThrow(/one input and one output.*2 inputs/);
    await expect(trainModel({ ...base, model: mlp(tf, { outputs: 2 }), output: { ...sparse, loss: 'hinge' } })).rejects.toThrow(/unknown loss 'hinge'/);
    await expect(trainModel({ ...base, model: mlp(tf, { outputs: 3 }) })).rejects.toThrow(/3 values per sample but the data has 2 classes/);
  });
});
