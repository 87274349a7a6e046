import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../data/types.js';
import { Rng, withSeededMathRandom } from '../util/rng.js';
import { decodeCheckpoint, encodeCheckpoint, loadCheckpoint, saveCheckpoint, type Checkpoint } from './checkpoint.js';
import { trainingConfigSchema, type TrainingConfig } from './config.js';
import type { TrainEvent } from './events.js';
import { trainModel, type TrainOutputSpec } from './loop.js';
import { blobs, mlp, weightValues } from './test-fixtures.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'loom-ckpt-'));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const sample: Checkpoint = {
  epoch: 3,
  globalStep: 30,
  seed: 7,
  rngState: 123456,
  optimizer: 'adam',
  earlyStopping: { best: 0.5, bestEpoch: 2, wait: 1 },
  best: { monitor: 'valLoss', value: 0.5, epoch: 2 },
  history: [{ loss: 1, valLoss: 0.9 }],
  savedAt: '2025-01-01T00:00:00.000Z',
  modelWeights: [{ name: 'h1/kernel', shape: [2, 3], dtype: 'float32', data: new Float32Array([1, 2, 3, 4, 5, 6.5]) }],
  optimizerWeights: [
    { name: 'iter', shape: [], dtype: 'int32', data: new Int32Array([30]) },
    { name: 'h1/kernel/m', shape: [3], dtype: 'float32', data: new Float32Array([0.1, 0.2, 0.3]) },
  ],
};

describe('checkpoint files', () => {
  it('round-trips every field exactly', () => {
    expect(decodeCheckpoint(encodeCheckpoint(sample), 'x')).toEqual(sample);
    const withBest = { ...sample, bestWeights: [{ name: 'h1/kernel', shape: [1], dtype: 'float32' as const, data: new Float32Array([9]) }] };
    expect(decodeCheckpoint(encodeCheckpoint(withBest), 'x')).toEqual(withBest);
  });

  it('saves atomically (no temp files left) and loads back', async () => {
    const dir = tempDir();
    const p = await saveCheckpoint(dir, 'last', sample);
    await saveCheckpoint(dir, 'last', { ...sample, epoch: 4 });
    expect(p).toBe(path.join(dir, 'last.ckpt'));
    expect(readdirSync(dir)).toEqual(['last.ckpt']);
    expect((await loadCheckpoint(dir, 'last')).epoch).toBe(4);
  });

  it('missing and corrupt files give errors naming the file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'best.ckpt');
    await expect(loadCheckpoint(dir, 'best')).rejects.toThrow(`checkpoint ${file} does not exist`);
    writeFileSync(file, 'hello');
    await expect(loadCheckpoint(dir, 'best')).rejects.toThrow(`checkpoint ${file} is corrupt: not a Layerloom checkpoint`);
    const good = encodeCheckpoint(sample);
    writeFileSync(file, good.subarray(0, good.length - 3));
    await expect(loadCheckpoint(dir, 'best')).rejects.toThrow(/is corrupt: payload is/);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 1] ^= 0xff;
    writeFileSync(file, flipped);
    await expect(loadCheckpoint(dir, 'best')).rejects.toThrow(`checkpoint ${file} is corrupt: checksum mismatch`);
    writeFileSync(file, good.subarray(0, 20));
    await expect(loadCheckpoint(dir, 'best')).rejects.toThrow(/truncated header/);
  });
});

/** 4×4 single-channel images, 2 classes (bright top half vs bright bottom half). */
function tinyImages(count: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const x = new Float32Array(count * 16);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    y[i] = i % 2;
    for (let p = 0; p < 16; p++) x[i * 16 + p] = p < 8 === (y[i] === 0) ? 1 + 0.2 * rng.normal() : 0.2 * rng.normal();
  }
  return { name: 'tiny', task: 'classification', count, inputShape: [4, 4, 1], x, y, targetShape: [], numClasses: 2, isImage: true };
}

function imageModel(seed: number): tf.LayersModel {
  return withSeededMathRandom(seed, () =>
    tf.sequential({
      layers: [
        tf.layers.flatten({ name: 'flat', inputShape: [4, 4, 1] }),
        tf.layers.dense({ name: 'h1', units: 8, activation: 'relu' }),
        tf.layers.dropout({ name: 'drop', rate: 0.25 }),
        tf.layers.dense({ name: 'out', units: 1, activation: 'sigmoid' }),
      ],
    }),
  );
}

/** Trains 4 epochs straight, and 2 + (interrupt) + resume 2; returns both final weights. */
async function straightVsResumed(
  make: (seed: number) => tf.LayersModel,
  data: Dataset,
  output: TrainOutputSpec,
  config: TrainingConfig,
  resumedEpochs = [3, 4],
): Promise<{ straight: Float32Array[]; resumed: Float32Array[]; historyA: unknown[]; historyB: unknown[] }> {
  const a = make(1);
  const ra = await trainModel({ tf, model: a, output, train: data, config });
  expect(ra.status).not.toBe('cancelled');

  const dir = tempDir();
  const b = make(1);
  const ac = new AbortController();
  const first = await trainModel({
    tf,
    model: b,
    output,
    train: data,
    config,
    checkpointDir: dir,
    signal: ac.signal,
    onEvent: (e: TrainEvent) => {
      if (e.event === 'epoch' && e.epoch === 2) ac.abort();
    },
  });
  expect(first.status).toBe('cancelled');
  expect(first.epochs).toBe(2);
  b.dispose();

  // A fresh model with different initial weights: everything must come from the checkpoint.
  const c = make(99);
  const ckpt = await loadCheckpoint(dir, 'last');
  expect(ckpt.epoch).toBe(2);
  const events: TrainEvent[] = [];
  const rc = await trainModel({ tf, model: c, output, train: data, config, checkpointDir: dir, resume: ckpt, onEvent: (e) => events.push(e) });
  expect(events[0]).toMatchObject({ event: 'start', startEpoch: 3 });
  expect(events.filter((e) => e.event === 'epoch').map((e) => (e as { epoch: number }).epoch)).toEqual(resumedEpochs);
  expect(rc.status).toBe(ra.status);
  const out = { straight: weightValues(a), resumed: weightValues(c), historyA: ra.history, historyB: rc.history };
  a.dispose();
  c.dispose();
  return out;
}

function expectClose(a: Float32Array[], b: Float32Array[]): void {
  expect(a.length).toBe(b.length);
  let maxDiff = 0;
  a.forEach((w, i) => w.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - b[i][j])))));
  expect(maxDiff).toBeLessThan(1e-5);
}

describe('resume from the last checkpoint', () => {
  it('MLP with dropout, Adam and a cosine schedule ends with the same weights', async () => {
    const config = trainingConfigSchema.parse({
      epochs: 4,
      batchSize: 16,
      seed: 3,
      optimizer: { name: 'adam', learningRate: 0.01 },
      lrSchedule: { type: 'cosine' },
      warmupEpochs: 1,
      clipNorm: 2,
    });
    const model = (seed: number) => mlp(tf, { outputs: 3, dropout: 0.3, l2: 1e-3, seed });
    const r = await straightVsResumed(model, blobs(120, 3, 5), { loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], fromLogits: false }, config);
    expectClose(r.straight, r.resumed);
    expect(r.historyB).toHaveLength(4);
    expect(JSON.stringify(r.historyB.slice(0, 2))).toBe(JSON.stringify(r.historyA.slice(0, 2)));
  });

  it('image model with augmentation and RMSprop ends with the same weights', async () => {
    const config = trainingConfigSchema.parse({
      epochs: 4,
      batchSize: 8,
      seed: 11,
      optimizer: { name: 'rmsprop', learningRate: 0.005 },
      augmentation: { flip: 'horizontal', shift: 0.25, noise: 0.05, brightness: 0.1 },
    });
    const r = await straightVsResumed(imageModel, tinyImages(64, 2), { loss: 'binaryCrossentropy', metrics: ['accuracy', 'auc'], fromLogits: false }, config);
    expectClose(r.straight, r.resumed);
  });

  it('early-stopping state and best weights carry over a resume', async () => {
    // Only epoch 1 can improve (huge minDelta): the straight run stops after epoch 3 and
    // restores epoch 1; the resumed run must do the same from the checkpointed state.
    const config = trainingConfigSchema.parse({
      epochs: 6,
      batchSize: 16,
      seed: 4,
      optimizer: { name: 'momentum', learningRate: 0.05 },
      earlyStopping: { monitor: 'valLoss', patience: 2, minDelta: 100, restoreBest: true },
    });
    const model = (seed: number) => mlp(tf, { outputs: 3, seed });
    const r = await straightVsResumed(model, blobs(90, 3, 6), { loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], fromLogits: false }, config, [3]);
    expect(r.historyA).toHaveLength(3);
    expect(r.historyB).toHaveLength(3);
    expectClose(r.straight, r.resumed);
  });

  it('writes best.ckpt by the monitor and emits checkpoint events', async () => {
    const dir = tempDir();
    const events: TrainEvent[] = [];
    const model = mlp(tf, { outputs: 3 });
    await trainModel({
      tf,
      model,
      output: { loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], fromLogits: false },
      train: blobs(90, 3, 1),
      config: trainingConfigSchema.parse({ epochs: 3, batchSize: 16, optimizer: { learningRate: 0.02 } }),
      checkpointDir: dir,
      onEvent: (e) => events.push(e),
    });
    const cps = events.filter((e) => e.event === 'checkpoint') as { epoch: number; best: boolean; path: string }[];
    expect(cps.filter((c) => !c.best).map((c) => c.epoch)).toEqual([1, 2, 3]);
    expect(cps.filter((c) => c.best).length).toBeGreaterThanOrEqual(1);
    const best = await loadCheckpoint(dir, 'best');
    const last = await loadCheckpoint(dir, 'last');
    expect(last.epoch).toBe(3);
    expect(best.best.monitor).toBe('valLoss');
    expect(best.best.value).toBe(Math.min(...last.history.map((m) => m.valLoss as number)));
    expect(readFileSync(path.join(dir, 'last.ckpt')).subarray(0, 8).toString()).toBe('LLCKPT01');
    model.dispose();
  });
});
