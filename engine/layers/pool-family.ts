/**
 * The pooling family: max and average pooling over sliding windows (1-D sequences, 2-D
 * images) and over every position (global), built by one factory per shape so the max and
 * average kinds differ only in the reduction, never in copied code. Each kind file
 * (max-pool2d.ts, avg-pool1d.ts, …) instantiates its kind from here.
 */
import { z } from 'zod';
import type * as tfNs from '@tensorflow/tfjs';
import { elementsPerSample, expectInputs, expectPositive, expectRank, pair, paddingSchema, posInt, size2Schema, window2D, windowOutput } from './common.js';
import type { LayerBase } from './common.js';
import { emitGlobalPool, emitPool } from '../onnx/ops-spatial.js';
import type { Tf } from './types.js';

/** The reduction a pooling kind applies. */
export type PoolReduction = 'max' | 'avg';

interface Reduction {
  /** Kind-name prefix: `MaxPool2D`, `AvgPool2D`, `GlobalMaxPool`, … */
  prefix: 'Max' | 'Avg';
  /** In docs: "Max pooling", "Average pooling". */
  word: 'Max' | 'Average';
  onnxPool: 'MaxPool' | 'AveragePool';
  onnxGlobal: 'ReduceMax' | 'ReduceMean';
  tf1d: (tf: Tf, a: { name: string; poolSize: number; strides: number; padding: 'valid' | 'same' }) => tfNs.layers.Layer;
  tf2d: (tf: Tf, a: { name: string; poolSize: [number, number]; strides: [number, number]; padding: 'valid' | 'same' }) => tfNs.layers.Layer;
  tfGlobal: (tf: Tf, name: string, rank: number) => tfNs.layers.Layer;
}

const REDUCTIONS: Record<PoolReduction, Reduction> = {
  max: {
    prefix: 'Max',
    word: 'Max',
    onnxPool: 'MaxPool',
    onnxGlobal: 'ReduceMax',
    tf1d: (tf, a) => tf.layers.maxPooling1d(a),
    tf2d: (tf, a) => tf.layers.maxPooling2d(a),
    tfGlobal: (tf, name, rank) => (rank === 3 ? tf.layers.globalMaxPooling1d({ name }) : tf.layers.globalMaxPooling2d({ name, dataFormat: 'channelsLast' })),
  },
  avg: {
    prefix: 'Avg',
    word: 'Average',
    onnxPool: 'AveragePool',
    onnxGlobal: 'ReduceMean',
    tf1d: (tf, a) => tf.layers.averagePooling1d(a),
    tf2d: (tf, a) => tf.layers.averagePooling2d(a),
    tfGlobal: (tf, name, rank) =>
      rank === 3 ? tf.layers.globalAveragePooling1d({ name }) : tf.layers.globalAveragePooling2d({ name, dataFormat: 'channelsLast' }),
  },
};

const params2D = z.object({
  poolSize: size2Schema.default(2),
  /** Step between windows; defaults to `poolSize` (non-overlapping windows). */
  strides: size2Schema.optional(),
  padding: paddingSchema.default('valid'),
});

const params1D = z.object({
  poolSize: posInt.default(2),
  /** Step between windows; defaults to `poolSize` (non-overlapping windows). */
  strides: posInt.optional(),
  padding: paddingSchema.default('valid'),
});

const paramsGlobal = z.object({});

/** `MaxPool2D` / `AvgPool2D`: pooling over sliding windows of NHWC images. */
export function windowPool2D(reduction: PoolReduction): LayerBase<z.output<typeof params2D>> {
  const r = REDUCTIONS[reduction];
  const kind = `${r.prefix}Pool2D`;
  const def: LayerBase<z.output<typeof params2D>> = {
    kind,
    category: 'pooling',
    label: kind,
    doc: `${r.word} pooling over [batch, height, width, channels] images.`,
    inputs: [{ name: 'in' }],
    outputs: [{ name: 'out' }],
    params: params2D,
    inferShape: (p, inputs) => {
      expectInputs(kind, inputs, 1);
      const [s] = inputs;
      expectRank(kind, s, [4], `${kind} takes [batch, height, width, channels]; use ${r.prefix}Pool1D for sequences`);
      const [h, w] = window2D(kind, s, pair(p.poolSize), pair(p.strides ?? p.poolSize), p.padding);
      return [[s[0], h, w, s[3]]];
    },
    cost: (p, inputs) => {
      const [out] = def.inferShape(p, inputs);
      const [ph, pw] = pair(p.poolSize);
      // One comparison (max) or addition (average; the division is negligible) per window element per output element.
      return { params: 0, flops: ph * pw * (out[1] ?? 1) * (out[2] ?? 1) * (out[3] ?? 1) };
    },
    toTfjs: (tf, p, name) => r.tf2d(tf, { name, poolSize: pair(p.poolSize), strides: pair(p.strides ?? p.poolSize), padding: p.padding }),
    toOnnx: (ctx, p, [x]) => {
      const [shape] = def.inferShape(p, [x.shape]);
      return [emitPool(ctx, r.onnxPool, x, pair(p.poolSize), pair(p.strides ?? p.poolSize), p.padding, shape)];
    },
    examples: [
      { params: {}, inputs: [[null, 8, 8, 3]] },
      { params: { poolSize: [3, 2], strides: 1, padding: 'same' }, inputs: [[null, 5, 6, 2]] },
      { params: { poolSize: 3, strides: [2, 1] }, inputs: [[null, 7, 5, 1]] },
    ],
  };
  return def;
}

/** `MaxPool1D` / `AvgPool1D`: pooling over sliding windows along the steps of [batch, steps, channels]. */
export function windowPool1D(reduction: PoolReduction): LayerBase<z.output<typeof params1D>> {
  const r = REDUCTIONS[reduction];
  const kind = `${r.prefix}Pool1D`;
  const def: LayerBase<z.output<typeof params1D>> = {
    kind,
    category: 'pooling',
    label: kind,
    doc: `${r.word} pooling over the steps of [batch, steps, channels] sequences.`,
    inputs: [{ name: 'in' }],
    outputs: [{ name: 'out' }],
    params: params1D,
    inferShape: (p, inputs) => {
      expectInputs(kind, inputs, 1);
      const [s] = inputs;
      expectRank(kind, s, [3], `${kind} takes [batch, steps, channels]; use ${r.prefix}Pool2D for images`);
      const steps = windowOutput(s[1], p.poolSize, p.strides ?? p.poolSize, p.padding);
      expectPositive(kind, steps, s, `pool ${p.poolSize}`);
      return [[s[0], steps, s[2]]];
    },
    cost: (p, inputs) => {
      const [out] = def.inferShape(p, inputs);
      // One comparison (max) or addition (average) per window element per output element.
      return { params: 0, flops: p.poolSize * (out[1] ?? 1) * (out[2] ?? 1) };
    },
    toTfjs: (tf, p, name) => r.tf1d(tf, { name, poolSize: p.poolSize, strides: p.strides ?? p.poolSize, padding: p.padding }),
    // ONNX 1-D pooling on channels-first [N, C, W].
    toOnnx: (ctx, p, [x]) => {
      const [shape] = def.inferShape(p, [x.shape]);
      return [emitPool(ctx, r.onnxPool, x, [p.poolSize], [p.strides ?? p.poolSize], p.padding, shape)];
    },
    examples: [
      { params: {}, inputs: [[null, 8, 3]] },
      { params: { poolSize: 3, strides: 1, padding: 'same' }, inputs: [[null, 7, 2]] },
      { params: { poolSize: 3, strides: 2 }, inputs: [[null, 9, 2]] },
    ],
  };
  return def;
}

/** `GlobalMaxPool` / `GlobalAvgPool`: one value per channel over every step (rank 3) or pixel (rank 4). */
export function globalPool(reduction: PoolReduction): LayerBase<z.output<typeof paramsGlobal>> {
  const r = REDUCTIONS[reduction];
  const kind = `Global${r.prefix}Pool`;
  return {
    kind,
    category: 'pooling',
    label: `Global ${r.prefix} Pool`,
    doc: `${reduction === 'max' ? 'Maximum' : 'Mean'} over all steps (rank 3) or all pixels (rank 4): [batch, channels].`,
    inputs: [{ name: 'in' }],
    outputs: [{ name: 'out' }],
    params: paramsGlobal,
    inferShape: (_p, inputs) => {
      expectInputs(kind, inputs, 1);
      const [s] = inputs;
      expectRank(kind, s, [3, 4], 'it takes [batch, steps, channels] or [batch, height, width, channels]');
      return [[s[0], s.at(-1) as number | null]];
    },
    cost: (_p, [s]) => ({ params: 0, flops: elementsPerSample(s) }),
    // The rank picks the tf.js layer, so one node serves sequences and images alike.
    toTfjs: (tf, _p, name, [s]) => r.tfGlobal(tf, name, s.length),
    // A reduction over the physical spatial axes: no re-layout needed whichever layout arrives.
    toOnnx: (ctx, _p, [x]) => [emitGlobalPool(ctx, r.onnxGlobal, x)],
    examples: [
      { params: {}, inputs: [[null, 5, 3]] },
      { params: {}, inputs: [[null, 4, 6, 2]] },
    ],
  };
}
