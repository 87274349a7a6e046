/**
 * Small seeded datasets and models for the training tests (kept out of `*.test.ts` so
 * several test files can share them; tf is passed in like everywhere else in the engine).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Dataset } from '../data/types.js';
import type { Tf } from '../layers/types.js';
import { Rng, withSeededMathRandom } from '../util/rng.js';

/** `count` 2-D points in `classes` Gaussian blobs on a circle (well separated, seeded). */
export function blobs(count: number, classes: number, seed: number, spread = 0.5): Dataset {
  const rng = new Rng(seed);
  const x = new Float32Array(count * 2);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const c = i % classes;
    const a = (2 * Math.PI * c) / classes;
    x[2 * i] = 2 * Math.cos(a) + spread * rng.normal();
    x[2 * i + 1] = 2 * Math.sin(a) + spread * rng.normal();
    y[i] = c;
  }
  return { name: 'blobs', task: 'classification', count, inputShape: [2], x, y, targetShape: [], numClasses: classes };
}

/** y = sin(x0) + 0.5·x1 regression data. */
export function waves(count: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const x = new Float32Array(count * 2);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const a = rng.uniform(-2, 2);
    const b = rng.uniform(-1, 1);
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = Math.sin(a) + 0.5 * b;
  }
  return { name: 'waves', task: 'regression', count, inputShape: [2], x, y, targetShape: [1] };
}

/** Options for `mlp`. */
export interface MlpOptions {
  inputs?: number;
  hidden?: number;
  outputs: number;
  /** Output activation; `linear` for logits/regression. */
  activation?: 'softmax' | 'sigmoid' | 'linear';
  dropout?: number;
  l2?: number;
  seed?: number;
}

/** A named (so checkpoints match by name) MLP with seeded initial weights. */
export function mlp(tf: Tf, o: MlpOptions): tfNs.LayersModel {
  return withSeededMathRandom(o.seed ?? 1, () => {
    const m = tf.sequential({ name: 'mlp' });
    m.add(
      tf.layers.dense({
        name: 'h1',
        inputShape: [o.inputs ?? 2],
        units: o.hidden ?? 16,
        activation: 'relu',
        ...(o.l2 ? { kernelRegularizer: tf.regularizers.l2({ l2: o.l2 }) } : {}),
      }),
    );
    if (o.dropout) m.add(tf.layers.dropout({ name: 'drop', rate: o.dropout }));
    m.add(tf.layers.dense({ name: 'out', units: o.outputs, activation: o.activation ?? 'softmax' }));
    return m;
  });
}

/** All weights of a model as flat arrays, for comparisons. */
export function weightValues(model: tfNs.LayersModel): Float32Array[] {
  return model.weights.map((w) => w.read().dataSync() as Float32Array);
}
