/** LayerNorm: normalizes each sample over its last axis, then scales and shifts. */
import { z } from 'zod';
import type * as tfNs from '@tensorflow/tfjs';
import { elementsPerSample, expectInputs, expectKnown, expectMinRank } from './common.js';
import type { OnnxBuilder } from '../onnx/builder.js';
import { attr } from '../onnx/values.js';
import { sameAsInput } from './explain.js';
import type { LayerDef } from './types.js';

// The axis is fixed to the last one (what transformers and RNN stacks use): it keeps the
// inspector form to what matters and maps one-to-one onto ONNX LayerNormalization(axis=-1).
const params = z.object({
  epsilon: z.number().positive().default(1e-3),
  /** Learn a shift (beta). */
  center: z.boolean().default(true),
  /** Learn a scale (gamma). */
  scale: z.boolean().default(true),
});

/** ReduceMean over the last axis, keeping it: axes is an attribute below opset 18, an input from 18. */
function reduceMeanLast(ctx: OnnxBuilder, x: string, name: string): string {
  if (ctx.opset >= 18) return ctx.node('ReduceMean', [x, ctx.int64s(`${name}_axes`, [-1])], { keepdims: attr.i(1) })[0];
  return ctx.node('ReduceMean', [x], { axes: attr.ints([-1]), keepdims: attr.i(1) })[0];
}

/** The LayerNorm layer kind. */
export const LayerNorm: LayerDef<z.output<typeof params>> = {
  kind: 'LayerNorm',
  category: 'normalization',
  label: 'Layer Norm',
  doc: 'Layer normalization over the last axis of each sample.',
  paramDocs: {},
  explainShape: (_p, [s]) => sameAsInput(s, 'each sample is normalized over its last axis'),
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (_p, inputs) => {
    expectInputs('LayerNorm', inputs, 1);
    const [s] = inputs;
    expectMinRank('LayerNorm', s, 2);
    expectKnown('LayerNorm', s, [s.length - 1]);
    return [s];
  },
  cost: (p, [s]) => {
    const c = s.at(-1) as number;
    // Mean, centre, square, variance sum, normalize, then scale and shift: ~7 ops per element.
    return { params: c * ((p.center ? 1 : 0) + (p.scale ? 1 : 0)), flops: 7 * elementsPerSample(s) };
  },
  toTfjs: (tf, p, name) => tf.layers.layerNormalization({ name, axis: -1, epsilon: p.epsilon, center: p.center, scale: p.scale }),
  toOnnx: (ctx, p, [x], weights, name) => {
    // The last tf.js axis must be the last physical one: a channels-first value would be
    // normalised over a spatial axis otherwise.
    const v = ctx.asLayout(x, 'last');
    const c = v.shape.at(-1) as number;
    // getWeights() order: gamma (if scale), then beta (if center).
    let i = 0;
    const gi = p.scale ? i++ : -1;
    const bi = p.center ? i++ : -1;
    const gamma = gi >= 0 ? ctx.param(`${name}_gamma`, weights[gi], gi) : null;
    const beta = bi >= 0 ? ctx.param(`${name}_beta`, weights[bi], bi) : null;
    // Training graphs use the decomposition below, whose ops all have gradient rules.
    if (ctx.opset >= 17 && !ctx.weightsAsInputs) {
      // LayerNormalization requires Scale, so scale=false passes ones; B is optional.
      const ins = [v.name, gamma ?? ctx.weight(`${name}_ones`, new Float32Array(c).fill(1), [c])];
      if (beta) ins.push(beta);
      const [out] = ctx.node('LayerNormalization', ins, { axis: attr.i(-1), epsilon: attr.f(p.epsilon) });
      return [{ ...v, name: out }];
    }
    // Below 17 there is no LayerNormalization: (x − mean) / sqrt(var + eps), with the biased
    // variance tf.js uses (mean of squared deviations).
    const mean = reduceMeanLast(ctx, v.name, `${name}_mean`);
    const [d] = ctx.node('Sub', [v.name, mean]);
    const [sq] = ctx.node('Mul', [d, d]);
    const variance = reduceMeanLast(ctx, sq, `${name}_var`);
    const [plus] = ctx.node('Add', [variance, ctx.floats(`${name}_eps`, [p.epsilon], [])]);
    const [std] = ctx.node('Sqrt', [plus]);
    let [y] = ctx.node('Div', [d, std]);
    if (gamma) y = ctx.node('Mul', [y, gamma])[0];
    if (beta) y = ctx.node('Add', [y, beta])[0];
    return [{ ...v, name: y }];
  },
  channelwise: 'same',
  // Weight sharing: scale and offset follow the path's channels; computed as tf.js's
  // LayerNormalization, whose batchNorm kernels do not broadcast, so statistics and the
  // scale/offset are tiled to the input's shape first.
  sliced: (c, p) => {
    const tf = c.tf;
    const shape = c.x.shape;
    const lead = shape.slice(0, -1);
    const gamma = c.take('gamma', { rows: 0 });
    const beta = c.take('beta', { rows: 0 });
    const { mean, variance } = tf.moments(c.x, -1, true);
    const full = (t: tfNs.Tensor | undefined, last: boolean) =>
      t && tf.tile(last ? tf.reshape(t, [...lead.map(() => 1), c.channels]) : t, last ? [...lead, 1] : [...lead.map(() => 1), c.channels]);
    return { t: tf.batchNorm(c.x, full(mean, false)!, full(variance, false)!, full(beta, true), full(gamma, true), p.epsilon), channels: 'input' };
  },
  tfjsTrainingGap: (p) => (p.center === false || p.scale === false ? 'LayerNorm with center or scale off crashes tf.js training' : null),
  examples: [
    { params: {}, inputs: [[null, 8]] },
    { params: { epsilon: 1e-5, center: false }, inputs: [[null, 4, 6]] },
    { params: { scale: false }, inputs: [[null, 3, 3, 2]] },
  ],
};
