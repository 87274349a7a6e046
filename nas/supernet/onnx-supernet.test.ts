// The supernet compiled to ONNX (onnx-compile.ts) against today's tf.js supernet walk, the
// reference: along sampled paths (one-hot inputs, SPOS/ENAS) the loss, every shared weight's
// gradient, which weights get one at all, the BatchNorm moving averages and the scores; under
// a relaxation (DARTS) the loss, the weights' gradients and the gradients of the decision
// probabilities, DARTS-'s auxiliary skip included.
import fs from 'node:fs';
import path from 'node:path';
import type * as tfNs from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../engine/backend/select.js';
import type { Tf } from '../../engine/layers/types.js';
import { expectClose } from '../../engine/train/onnx-step/ort-test-util.testkit.js';
import { Rng } from '../../engine/util/rng.js';
import { spaceText, type N } from '../space/drawn-fixtures.js';
import { drawnSpace } from '../space/drawn.js';
import { nb201SkeletonDoc, nb201SkeletonSpace } from '../space/nb201-skeleton.js';
import type { Sample } from '../space/types.js';
import type { Batch } from './data.js';
import { pathUnits } from './path-units.js';
import { buildSupernet, type Supernet, type WeightSharingSpace } from './supernet.js';
import { correctOn, drawnProbs, probGradients } from './train.js';

const root = path.join(import.meta.dirname, '../..');
let tf: Tf;
beforeAll(async () => {
  tf = (await initBackend('wasm')).tf;
  exactAvgPoolGradient(tf);
});

/**
 * tf.js's own AvgPool gradient divides by the full window under 'same' padding although the
 * forward pass excludes the padding from its counts (against PyTorch's avg_pool2d with
 * count_include_pad=False on a 4×4 input, an interior entry of the gradient is 5.000 in
 * tf.js and 5.833 in PyTorch, whose value the ONNX rule gives). For this file only, the
 * reference differentiates the forward formula instead: the sum over zero-padded windows
 * divided by the count of real inputs (as grads-pool.test.ts's reference does).
 */
function exactAvgPoolGradient(t: Tf): void {
  const stock = t.getGradient('AvgPool')!;
  t.registerGradient({
    kernelName: 'AvgPool',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tfNs.Tensor4D];
      const { filterSize, strides, pad } = attrs as unknown as {
        filterSize: number | [number, number];
        strides: number | [number, number];
        pad: 'same' | 'valid';
      };
      const k = typeof filterSize === 'number' ? [filterSize, filterSize] : filterSize;
      const s = typeof strides === 'number' ? [strides, strides] : strides;
      if (pad !== 'same') return stock.gradFunc(dy, saved, attrs);
      const padding: [number, number][] = [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ];
      {
        for (const a of [1, 2]) {
          const n = x.shape[a];
          const total = Math.max((Math.ceil(n / s[a - 1]) - 1) * s[a - 1] + k[a - 1] - n, 0);
          padding[a] = [Math.floor(total / 2), total - Math.floor(total / 2)];
        }
      }
      // y = avgPool_valid(pad(x)) / counts, so ∂x = crop(avgPool_valid's gradient of dy / counts).
      const ks = k as [number, number];
      const ss = s as [number, number];
      const counts = t.avgPool(t.pad(t.onesLike(x), padding), ks, ss, 'valid');
      const padded = t.pad(x, padding);
      const g = stock.gradFunc(t.div(dy as tfNs.Tensor, counts), [padded], { ...attrs, pad: 'valid' }) as { x: () => tfNs.Tensor };
      return { x: () => t.slice(g.x(), [0, padding[1][0], padding[2][0], 0], x.shape) };
    },
  });
}

const conv = (id: string, params: Record<string, unknown> = {}, extra: Partial<N> = {}): N => ({
  id,
  kind: 'Conv2D',
  params: { filters: 4, padding: 'same', ...params },
  ...extra,
});

/** Spaces without Dropout layers (their masks differ between backends by construction). */
/** A space a supernet serves. */
type SharingSpace = WeightSharingSpace;

const SPACES: Record<string, () => SharingSpace> = {
  'example space-digits (Repeat, optional skip, kernel and width choices)': () =>
    drawnSpace(fs.readFileSync(path.join(root, 'examples/spaces/space-digits.loom.json'), 'utf8')),
  'Choice of different widths, Dense width': () =>
    drawnSpace(
      spaceText(
        [
          { id: 'in', kind: 'Input', params: { shape: [8, 8, 1] } },
          conv('stem', { filters: { choice: [4, 8] }, activation: 'relu' }),
          { id: 'pick', kind: 'Choice' },
          conv('a0', { filters: 6, kernelSize: 3 }, { group: 'pick', alternative: 0 }),
          { id: 'a1', kind: 'MaxPool2D', params: { poolSize: 3, strides: 1, padding: 'same' }, group: 'pick', alternative: 1 },
          conv('a2', { filters: { choice: [2, 5] }, kernelSize: 1, activation: 'tanh' }, { group: 'pick', alternative: 2 }),
          { id: 'a2bn', kind: 'BatchNorm', group: 'pick', alternative: 2 },
          conv('mix', { filters: { choice: [3, 6] }, kernelSize: { choice: [1, 3] } }),
          { id: 'bn', kind: 'BatchNorm' },
          { id: 'gap', kind: 'GlobalAvgPool' },
          { id: 'dense', kind: 'Dense', params: { units: { choice: [7, 10] }, activation: 'relu' } },
          { id: 'logits', kind: 'Dense', params: { units: 3, activation: 'softmax' } },
          { id: 'out', kind: 'Output' },
        ],
        [
          ['in', 'stem'],
          ['stem', 'pick'],
          ['a2', 'a2bn'],
          ['pick', 'mix'],
          ['mix', 'bn'],
          ['bn', 'gap'],
          ['gap', 'dense'],
          ['dense', 'logits'],
          ['logits', 'out'],
        ],
      ),
    ),
  'Concatenate with an optional input, Flatten into a sliced Dense': () =>
    drawnSpace(
      spaceText(
        [
          { id: 'in', kind: 'Input', params: { shape: [6, 6, 2] } },
          conv('c1', { filters: { choice: [2, 4] } }),
          conv('c2', { filters: 3, kernelSize: 1 }),
          { id: 'cat', kind: 'Concatenate' },
          { id: 'flat', kind: 'Flatten' },
          { id: 'hidden', kind: 'Dense', params: { units: { choice: [5, 9] }, activation: 'relu' } },
          { id: 'dense', kind: 'Dense', params: { units: 3, activation: 'softmax' } },
          { id: 'out', kind: 'Output' },
        ],
        [
          ['in', 'c1'],
          ['in', 'c2'],
          ['c1', 'cat', { optional: true }],
          ['c2', 'cat'],
          ['cat', 'flat'],
          ['flat', 'hidden'],
          ['hidden', 'dense'],
          ['dense', 'out'],
        ],
      ),
    ),
  'NB201 skeleton (2 stages, 1 cell each, 6 channels; "none" edges included)': () =>
    nb201SkeletonSpace(JSON.stringify(nb201SkeletonDoc({ inputShape: [8, 8, 1], classes: 3, channels: 6 }))),
};

/** Up to `n` distinct valid samples, drawn with a seeded Rng. */
function validSamples(net: Supernet, n: number, seed: number): Sample[] {
  const rng = new Rng(seed);
  const out = new Map<string, Sample>();
  for (let tries = 0; out.size < n && tries < 50 * n; tries++) {
    const s = net.space.sample(rng);
    if (net.isValid(s)) out.set(net.space.key(s), s);
  }
  return [...out.values()];
}

/** A seeded batch of `n` inputs with class ids 0..classes-1. */
function batchOf(net: Supernet, n: number, seed: number): Batch {
  const inShape = net.structure.byId.get(net.structure.inputId)!.params.shape as number[];
  const classes = net.statics.output.at(-1) as number;
  const labels = Float32Array.from({ length: n }, (_, i) => i % classes);
  const y =
    net.output.loss === 'sparseCategoricalCrossentropy'
      ? tf.tensor1d(Int32Array.from(labels), 'int32')
      : tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), classes).toFloat();
  return { x: tf.randomNormal([n, ...inShape], 0, 1, 'float32', seed), y, labels };
}

/**
 * Gradients agree to 1e-4 of their scale; a gradient that is zero in exact arithmetic (a bias
 * that BatchNorm cancels) is held to 1e-4 of 0.05 (about the smallest scale of a real
 * gradient here) instead of to its own rounding noise.
 */
function expectGrad(got: tfNs.Tensor, want: tfNs.Tensor, what: string): void {
  const g = got.dataSync();
  const w = want.dataSync();
  let diff = 0;
  let scale = 0.05;
  for (let i = 0; i < w.length; i++) {
    diff = Math.max(diff, Math.abs(g[i] - w[i]));
    scale = Math.max(scale, Math.abs(w[i]));
  }
  expect(diff / scale, `${what}: got ${Array.from(g).slice(0, 6)}, want ${Array.from(w).slice(0, 6)}`).toBeLessThanOrEqual(1e-4);
}

/** Gradients keyed by `<weight set>/<weight>` instead of tf.js's process-wide variable names. */
function byWeight(net: Supernet, grads: Record<string, tfNs.Tensor>): Record<string, tfNs.Tensor> {
  const out: Record<string, tfNs.Tensor> = {};
  for (const key of net.bank.keys()) {
    for (const w of net.bank.get(key).trainableWeights) {
      const g = grads[(w.read() as tfNs.Variable).name];
      if (g) out[`${key}/${w.originalName.split('/').pop()}`] = g;
    }
  }
  return out;
}

/** tf.js's loss and gradients, BatchNorm on batch statistics, no dropout. */
function tfGradients(net: Supernet, batch: Batch, picker: Parameters<Supernet['loss']>[2], extra: tfNs.Variable[] = [], auxSkip = 0) {
  const { value, grads } = tf.variableGrads(() => net.loss(batch.x, batch.y, picker, { batchStats: true, auxSkip }), [...net.trainable(), ...extra]);
  const loss = value.dataSync()[0];
  value.dispose();
  return { loss, grads, weights: byWeight(net, grads) };
}

describe('supernet on onnxruntime against the tf.js supernet', () => {
  for (const [name, make] of Object.entries(SPACES)) {
    it(`${name}: paths give tf.js's loss, gradients (on the path's weights only), moving averages and scores`, async () => {
      const net = buildSupernet(tf, make(), { seed: 3 });
      const ref = buildSupernet(tf, make(), { seed: 3, trainer: 'tfjs' });
      const batch = batchOf(net, 6, 5);
      try {
        const rt = await net.onnx({ kind: 'weights', exactPaths: true });
        expect(rt, [...net.onnxFallback.values()].join('; ')).not.toBeNull();
        const samples = validSamples(net, 6, 11);
        expect(samples.length).toBeGreaterThan(2);
        for (const s of samples) {
          const key = net.space.key(s);
          const units = pathUnits(net.structure, net.path(s));
          const want = tfGradients(ref, batch, ref.path(s));
          const got = await rt!.weightGradients(tf, batch, drawnProbs(net, { path: s }), units, { seed: 0, training: false, exactPaths: true });
          expect(Math.abs(got.loss - want.loss), `${key}: loss ${got.loss} vs ${want.loss}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(want.loss)));
          // The same weights get a gradient (tf.js gives none to weights off the path) ...
          const mine = byWeight(net, got.grads);
          expect(Object.keys(mine).sort(), key).toEqual(Object.keys(want.weights).sort());
          // ... and the same gradient.
          for (const [v, g] of Object.entries(want.weights)) expectGrad(mine[v], g, `${key}: ∂L/∂${v}`);
          tf.dispose([...Object.values(got.grads), ...Object.values(want.grads)]);
          // Moving averages: the ONNX step wrote its update into `net`; tf.js updates `ref` in a training pass.
          tf.tidy(() => {
            ref.forward(batch.x, ref.path(s), { batchStats: true, updateStats: true });
          });
          const a = await net.bank.save();
          const b = await ref.bank.save();
          // Moving statistics come from batch means/variances that the two engines reduce in a
          // different order (the ONNX BatchNorm forward sums per channel first): 1e-5 relative on
          // values of ~3e-3 is float32 rounding over N·H·W terms, so they get 1e-4; weights 1e-5.
          a.forEach((t, i) => expectClose(t.data as Float32Array, b[i].data as Float32Array, `${key}: ${t.name}`, /moving/.test(t.name) ? 1e-4 : 1e-5));
          // Scores: predictions on batch statistics.
          expect(await correctOn(net, batch, s), key).toBe(await correctOn(ref, batch, s));
        }
      } finally {
        tf.dispose([batch.x, batch.y]);
        net.dispose();
        ref.dispose();
      }
    });
  }

  for (const [name, make] of Object.entries(SPACES)) {
    for (const auxSkip of [0, 0.7]) {
      it(`${name}: a relaxation gives tf.js's loss, weight gradients and probability gradients${auxSkip ? ' (DARTS- auxiliary skip)' : ''}`, async () => {
        const net = buildSupernet(tf, make(), { seed: 4 });
        const ref = buildSupernet(tf, make(), { seed: 4, trainer: 'tfjs' });
        const batch = batchOf(net, 5, 8);
        const rng = new Rng(13);
        const probs = Object.fromEntries(
          net.space.decisions.map((d) => {
            const e = d.options.map(() => Math.exp(rng.normal()));
            const z = e.reduce((p, q) => p + q, 0);
            return [d.name, e.map((v) => Math.fround(v / z))];
          }),
        );
        const vars = net.space.decisions.map((d) => tf.variable(tf.tensor1d(probs[d.name]), true, `p_${d.name.replace(/[^A-Za-z0-9]/g, '_')}`));
        try {
          const rt = await net.onnx({ kind: 'weights', exactPaths: false, ...(auxSkip && { auxSkip: true }) });
          expect(rt, [...net.onnxFallback.values()].join('; ')).not.toBeNull();
          const picker = ref.relaxed(Object.fromEntries(net.space.decisions.map((d, i) => [d.name, vars[i] as tfNs.Tensor])));
          const want = tfGradients(ref, batch, picker, vars, auxSkip);
          const got = await rt!.weightGradients(tf, batch, drawnProbs(net, { relaxed: probs }), null, {
            seed: 0,
            training: false,
            exactPaths: false,
            auxSkip: auxSkip > 0,
            auxBeta: auxSkip,
          });
          expect(Math.abs(got.loss - want.loss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want.loss)));
          const mine = byWeight(net, got.grads);
          expect(Object.keys(mine).length).toBe(net.trainable().length);
          for (const [v, g] of Object.entries(want.weights)) expectGrad(mine[v], g, `∂L/∂${v}`);
          const pg = await probGradients(net, batch, probs, { seed: 0, auxSkip });
          expect(pg).not.toBeNull();
          expect(Math.abs(pg!.loss - want.loss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want.loss)));
          net.space.decisions.forEach((d, i) => expectClose(pg!.grads[d.name], want.grads[vars[i].name].dataSync(), `∂L/∂p(${d.name})`, 1e-4));
          tf.dispose([...Object.values(got.grads), ...Object.values(want.grads)]);
        } finally {
          tf.dispose([batch.x, batch.y, ...vars]);
          net.dispose();
          ref.dispose();
        }
      });
    }
  }
});
