/**
 * Every layer kind Layerloom offers trains on wasm: for a tiny model around each, the
 * gradients of all weights computed on wasm (with our kernels) match tf.js's cpu backend,
 * and a training step leaks no tensors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Rng, withSeededMathRandom } from '../util/rng.js';
import { initBackend } from './select.js';
import { randn } from './test-helpers.js';

interface Spec {
  name: string;
  input: number[];
  /** Integer ids in [0, vocab) instead of normal floats. */
  vocab?: number;
  layers: () => tf.layers.Layer[];
  /** Random at train time (Dropout), or tf.js cpu is wrong (see below): only check it runs. */
  noCpuRef?: boolean;
}

const L = tf.layers;
const SPECS: Spec[] = [
  { name: 'Dense', input: [6], layers: () => [L.dense({ units: 5, activation: 'relu' })] },
  { name: 'Conv1D', input: [10, 3], layers: () => [L.conv1d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' })] },
  { name: 'Conv2D', input: [8, 8, 3], layers: () => [L.conv2d({ filters: 4, kernelSize: [3, 2], padding: 'valid' })] },
  {
    name: 'Conv2DTranspose',
    input: [5, 5, 3],
    layers: () => [L.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' })],
  },
  {
    name: 'DepthwiseConv2D',
    input: [8, 8, 3],
    layers: () => [L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' })],
  },
  {
    name: 'SeparableConv2D',
    input: [8, 8, 3],
    layers: () => [L.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same' })],
  },
  { name: 'MaxPool1D', input: [8, 3], layers: () => [L.conv1d({ filters: 3, kernelSize: 1 }), L.maxPooling1d({ poolSize: 2 })] },
  { name: 'AvgPool1D', input: [8, 3], layers: () => [L.conv1d({ filters: 3, kernelSize: 1 }), L.averagePooling1d({ poolSize: 2 })] },
  { name: 'MaxPool2D', input: [6, 6, 2], layers: () => [L.conv2d({ filters: 3, kernelSize: 1 }), L.maxPooling2d({ poolSize: 2 })] },
  {
    name: 'AvgPool2D',
    input: [6, 6, 2],
    layers: () => [L.conv2d({ filters: 3, kernelSize: 1 }), L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' })],
  },
  { name: 'GlobalAvgPool2D', input: [5, 5, 2], layers: () => [L.conv2d({ filters: 3, kernelSize: 2 }), L.globalAveragePooling2d({})] },
  { name: 'GlobalMaxPool2D', input: [5, 5, 2], layers: () => [L.conv2d({ filters: 3, kernelSize: 2 }), L.globalMaxPooling2d({})] },
  { name: 'GlobalAvgPool1D', input: [7, 2], layers: () => [L.conv1d({ filters: 3, kernelSize: 2 }), L.globalAveragePooling1d({})] },
  { name: 'GlobalMaxPool1D', input: [7, 2], layers: () => [L.conv1d({ filters: 3, kernelSize: 2 }), L.globalMaxPooling1d({})] },
  { name: 'BatchNorm', input: [4, 4, 3], layers: () => [L.conv2d({ filters: 3, kernelSize: 1 }), L.batchNormalization({})] },
  { name: 'LayerNorm', input: [5], layers: () => [L.dense({ units: 4 }), L.layerNormalization({})] },
  { name: 'Dropout', input: [5], layers: () => [L.dense({ units: 4 }), L.dropout({ rate: 0.5 })], noCpuRef: true },
  { name: 'Embedding', input: [6], vocab: 11, layers: () => [L.embedding({ inputDim: 11, outputDim: 4 }), L.flatten()] },
  { name: 'SimpleRNN', input: [4, 3], layers: () => [L.simpleRNN({ units: 5 })] },
  { name: 'LSTM', input: [4, 3], layers: () => [L.lstm({ units: 5, returnSequences: true })] },
  { name: 'GRU', input: [4, 3], layers: () => [L.gru({ units: 5 })] },
  // tf.js cpu's ResizeNearestNeighborGrad disagrees with its forward pass; wasm's is
  // checked against a brute-force reference in wasm-pool-grads.test.ts.
  {
    name: 'UpSampling2D',
    input: [3, 3, 2],
    layers: () => [L.conv2d({ filters: 2, kernelSize: 1 }), L.upSampling2d({ size: [2, 2] })],
    noCpuRef: true,
  },
  {
    name: 'ZeroPadding2D',
    input: [3, 3, 2],
    layers: () => [L.conv2d({ filters: 2, kernelSize: 1 }), L.zeroPadding2d({ padding: 1 }), L.conv2d({ filters: 2, kernelSize: 2 })],
  },
  ...(['relu', 'elu', 'selu', 'gelu', 'sigmoid', 'tanh', 'softmax', 'swish'] as const).map((a): Spec => ({
    name: `activation ${a}`,
    input: [5],
    layers: () => [L.dense({ units: 4 }), L.activation({ activation: a })],
  })),
  { name: 'activation leakyRelu', input: [5], layers: () => [L.dense({ units: 4 }), L.leakyReLU({ alpha: 0.2 })] },
];

beforeAll(async () => {
  await initBackend('wasm');
});

/** Loss value and the gradient of every trainable weight, on `backend`. */
async function gradsOn(backend: 'cpu' | 'wasm', model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor) {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar);
  const loss = value.dataSync()[0];
  const out = model.trainableWeights.map((w) => Float32Array.from(grads[w.originalName].dataSync()));
  tf.dispose([value, ...Object.values(grads)]);
  expect(tf.memory().numTensors).toBe(before);
  return { loss, grads: out };
}

describe('training every layer kind on wasm', () => {
  const rng = new Rng(2024);
  for (const spec of SPECS) {
    it(spec.name, async () => {
      await tf.setBackend('wasm');
      const batch = 3;
      const model = withSeededMathRandom(rng.int(1 << 30), () => {
        const m = tf.sequential();
        spec.layers().forEach((layer, i) => {
          if (i === 0) m.add(L.inputLayer({ inputShape: spec.input, dtype: spec.vocab ? 'int32' : 'float32' }));
          m.add(layer);
        });
        return m;
      });
      const n = batch * spec.input.reduce((a, b) => a * b, 1);
      const x = spec.vocab
        ? tf.tensor(
            Int32Array.from({ length: n }, () => rng.int(spec.vocab ?? 1)),
            [batch, ...spec.input],
            'int32',
          )
        : tf.tensor(randn(rng, n), [batch, ...spec.input]);
      const outShape = (model.outputs[0].shape.slice(1) as number[]).map((d) => d);
      const y = tf.tensor(randn(rng, batch * outShape.reduce((a, b) => a * b, 1)), [batch, ...outShape]);

      const w = await gradsOn('wasm', model, x, y);
      expect(Number.isFinite(w.loss)).toBe(true);
      expect(w.grads.length).toBe(model.trainableWeights.length);
      if (!spec.noCpuRef) {
        const c = await gradsOn('cpu', model, x, y);
        expect(Math.abs(w.loss - c.loss) / Math.max(Math.abs(c.loss), 1e-6)).toBeLessThanOrEqual(1e-3);
        // Error relative to the model's largest gradient entry: some gradients are ~0 by
        // construction (a conv bias before BatchNorm), where a per-tensor ratio is noise.
        const scale = Math.max(...c.grads.map((g) => g.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
        w.grads.forEach((g, i) => {
          const err = g.reduce((m, v, j) => Math.max(m, Math.abs(v - c.grads[i][j])), 0) / scale;
          expect(err, model.trainableWeights[i].name).toBeLessThanOrEqual(1e-3);
        });
      }

      // A full optimizer step on wasm (Adam, as the trainer uses) leaks nothing.
      await tf.setBackend('wasm');
      model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
      await model.trainOnBatch(x, y);
      const before = tf.memory().numTensors;
      const loss = await model.trainOnBatch(x, y);
      expect(Number.isFinite(loss as number)).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
      model.optimizer.dispose();
      model.dispose();
      tf.dispose([x, y]);
    });
  }
});
