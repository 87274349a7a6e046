import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSeededMathRandom } from '../util/rng.js';
import { loadCheckpoint } from './checkpoint.js';
import { trainingConfigSchema, type TrainingConfig } from './config.js';
import { trainModel, trainWithStepper, type StepperTrainOptions, type TrainOutputSpec } from './loop.js';
import type { SavedTensor } from './saved-tensor.js';
import type { Stepper } from './stepper.js';
import { blobs, mlp, weightValues } from './test-fixtures.js';
import { SoftmaxStepper } from './test-stepper.js';
import { TfjsStepper } from './tfjs-stepper.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'loom-tfstep-'));
  dirs.push(d);
  return d;
};
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const sparse: TrainOutputSpec = { loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], fromLogits: false };
const logits: TrainOutputSpec = { ...sparse, fromLogits: true };

/** Trains through `stepper` for `epochs` and returns the checkpoint written after the last. */
async function trainToCheckpoint(stepper: Stepper, opts: Omit<StepperTrainOptions, 'stepper' | 'checkpointDir'>) {
  const dir = tempDir();
  await trainWithStepper({ ...opts, stepper, checkpointDir: dir });
  return loadCheckpoint(dir, 'last');
}

describe('TfjsStepper optimizer state', () => {
  const expected: Record<string, string[]> = {
    sgd: [],
    momentum: ['momentum'],
    nesterov: ['momentum'],
    rmsprop: ['rms', 'momentum'],
    adam: ['m', 'v'],
    adamw: ['m', 'v'],
  };
  for (const [name, slots] of Object.entries(expected)) {
    it(`${name}: neutral names, restored by name into a rebuilt model`, async () => {
      const config = trainingConfigSchema.parse({ epochs: 1, batchSize: 16, seed: 2, validationSplit: 0, optimizer: { name, learningRate: 0.01 } });
      const model = mlp(tf, { outputs: 3, seed: 1 });
      const a = new TfjsStepper({ tf, model, output: sparse, config });
      const data = blobs(64, 3, 1);
      const ckpt = await trainToCheckpoint(a, { output: sparse, train: data, config });
      const state = ckpt.optimizerWeights;
      expect(state.map((s) => s.name)).toEqual(['iter', ...slots.flatMap((s) => ['h1/kernel', 'h1/bias', 'out/kernel', 'out/bias'].map((p) => `${p}/${s}`))]);
      expect(state[0]).toMatchObject({ shape: [], dtype: 'int32' });
      expect(state[0].data[0]).toBe(4);

      // A rebuild has different tf.js variable names (h1/kernel_N); order is shuffled to
      // prove matching is by name. Both optimizers must then take identical steps.
      const model2 = mlp(tf, { outputs: 3, seed: 5 });
      const b = new TfjsStepper({ tf, model: model2, output: sparse, config });
      b.setWeights(await a.getWeights());
      await b.setOptimizerState([...state].reverse());
      expect((await b.getOptimizerState()).map((s) => s.name)).toEqual(state.map((s) => s.name));
      const batch = { n: 4, x: data.x.slice(0, 8), xShape: [4, 2], y: Int32Array.from(data.y.slice(0, 4)), yShape: [4] };
      await a.step(batch, 0.01, 1);
      await b.step(batch, 0.01, 1);
      expect(weightValues(model2)).toEqual(weightValues(model));
      a.dispose();
      b.dispose();
      model.dispose();
      model2.dispose();
    });
  }

  it('reads checkpoints written with tf.js variable names by position, and rejects strangers', async () => {
    const config = trainingConfigSchema.parse({ optimizer: { name: 'adam' } });
    const model = mlp(tf, { outputs: 3 });
    const s = new TfjsStepper({ tf, model, output: sparse, config });
    const shapes = [[2, 16], [16], [16, 3], [3]];
    const slot = (name: string, shape: number[], v: number): SavedTensor => ({
      name,
      shape,
      dtype: 'float32',
      data: new Float32Array(shape.reduce((p, q) => p * q, 1)).fill(v),
    });
    const iter: SavedTensor = { name: 'iter', shape: [], dtype: 'int32', data: Int32Array.of(7) };
    const legacy = [iter, ...['m', 'v'].flatMap((k, j) => shapes.map((sh, i) => slot(`w_${i}_99/${k}`, sh, j + 1)))];
    await s.setOptimizerState(legacy);
    const back = await s.getOptimizerState();
    expect(back.map((t) => t.name)).toEqual([
      'iter',
      'h1/kernel/m',
      'h1/bias/m',
      'out/kernel/m',
      'out/bias/m',
      'h1/kernel/v',
      'h1/bias/v',
      'out/kernel/v',
      'out/bias/v',
    ]);
    expect(back[5].data[0]).toBe(2);
    const fresh = new TfjsStepper({ tf, model, output: sparse, config });
    await expect(fresh.setOptimizerState([iter, slot('h1/kernel/m', [2, 16], 0)])).rejects.toThrow(/no 'h1\/bias\/m'/);
    await expect(fresh.setOptimizerState([slot('h1/kernel/m', [2, 16], 0)])).rejects.toThrow(/no 'iter'/);
    s.dispose();
    fresh.dispose();
    model.dispose();
  });
});

describe('checkpoints cross backends', () => {
  // The same model on both sides: one Dense layer `lin`, logits, sparse cross-entropy.
  const linear = (seed: number) => withSeededMathRandom(seed, () => tf.sequential({ layers: [tf.layers.dense({ name: 'lin', inputShape: [2], units: 3 })] }));
  const js = (seed: number) => new SoftmaxStepper({ inputs: 2, classes: 3, optimizer: { name: 'momentum', momentum: 0.9 }, seed });
  const data = blobs(96, 3, 3);
  const config: TrainingConfig = trainingConfigSchema.parse({ epochs: 4, batchSize: 16, seed: 6, optimizer: { name: 'momentum', learningRate: 0.05 } });
  const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

  it('tf.js → pure JS: a JS stepper resumes a tf.js checkpoint and matches the tf.js run', async () => {
    const straight = linear(1);
    await trainModel({ tf, model: straight, output: logits, train: data, config });

    const first = linear(1);
    const tfStepper = new TfjsStepper({ tf, model: first, output: logits, config });
    const ckpt = await trainToCheckpoint(tfStepper, { output: logits, train: data, config: { ...config, epochs: 2 } });
    tfStepper.dispose();
    const resumed = js(3);
    await trainWithStepper({ stepper: resumed, output: logits, train: data, config, resume: ckpt });
    const [kernel, bias] = weightValues(straight);
    expect(maxDiff(resumed.kernel, kernel)).toBeLessThan(1e-4);
    expect(maxDiff(resumed.bias, bias)).toBeLessThan(1e-4);
    straight.dispose();
    first.dispose();
  });

  it('pure JS → tf.js: trainModel resumes a JS checkpoint and matches the JS run', async () => {
    const straight = js(2);
    await trainWithStepper({ stepper: straight, output: logits, train: data, config });
    const ckpt = await trainToCheckpoint(js(2), { output: logits, train: data, config: { ...config, epochs: 2 } });
    const model = linear(9);
    await trainModel({ tf, model, output: logits, train: data, config, resume: ckpt });
    const [kernel, bias] = weightValues(model);
    expect(maxDiff(kernel, straight.kernel)).toBeLessThan(1e-4);
    expect(maxDiff(bias, straight.bias)).toBeLessThan(1e-4);
    model.dispose();
  });
});
