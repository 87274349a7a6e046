/**
 * BatchNorm: normalizes each feature with batch statistics while training and with moving
 * averages at inference, then scales (gamma) and shifts (beta).
 */
import { z } from 'zod';
import { ShapeError } from '../graph/errors.js';
import { elementsPerSample, expectInputs, expectKnown, fmtShape, resolveAxis } from './common.js';
import { emitBatchNormTraining } from '../onnx/ops-norm.js';
import { attr } from '../onnx/values.js';
import { sameAsInput } from './explain.js';
import type { LayerDef } from './types.js';

const params = z.object({
  /** Feature axis; must resolve to the last one (channels of NHWC, or features). */
  axis: z.number().int().default(-1),
  /** Weight of the old value in the moving mean/variance update. */
  momentum: z.number().gt(0).lt(1).default(0.99),
  epsilon: z.number().positive().default(1e-3),
  /** Learn a shift (beta). */
  center: z.boolean().default(true),
  /** Learn a scale (gamma). */
  scale: z.boolean().default(true),
});

/** The BatchNorm layer kind. */
export const BatchNorm: LayerDef<z.output<typeof params>> = {
  kind: 'BatchNorm',
  category: 'normalization',
  label: 'Batch Norm',
  doc: 'Batch normalization over one feature axis (default the last).',
  paramDocs: {
    axis: 'The feature axis normalized; must be the last one (channels of an image, or features).',
    momentum: 'Weight of the old value in the moving mean / variance kept for inference.',
  },
  explainShape: (_p, [s]) => sameAsInput(s, `each of the ${s.at(-1)} features is normalized, nothing is added or removed`),
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p, inputs) => {
    expectInputs('BatchNorm', inputs, 1);
    const [s] = inputs;
    const a = resolveAxis('BatchNorm', p.axis, s);
    if (a !== s.length - 1) {
      // tf.js 4.22's batchNorm kernels (cpu and wasm) ignore the statistics' axis and cycle
      // the parameters over the flat channels-last data, so any other axis trains a function
      // that is not batch normalization. Refuse it rather than train something wrong.
      throw new ShapeError(`BatchNorm normalizes the last (channel) axis only, got axis ${p.axis} of ${fmtShape(s)}: tf.js computes other axes incorrectly`);
    }
    expectKnown('BatchNorm', s, [a]);
    return [s];
  },
  cost: (p, [s]) => {
    const c = s[resolveAxis('BatchNorm', p.axis, s)] as number;
    // Moving mean and variance are non-trainable weights; tf.js countParams includes them.
    const params = c * (2 + (p.center ? 1 : 0) + (p.scale ? 1 : 0));
    // At inference BN folds into one multiply-add per element.
    return { params, flops: 2 * elementsPerSample(s) };
  },
  toTfjs: (tf, p, name) =>
    tf.layers.batchNormalization({
      name,
      axis: p.axis,
      momentum: p.momentum,
      epsilon: p.epsilon,
      center: p.center,
      scale: p.scale,
    }),
  toOnnx: (ctx, p, [x], weights, name) => {
    // tf.js getWeights() order: gamma (if scale), beta (if center), moving mean, moving
    // variance; a missing gamma is 1 and a missing beta 0. The feature axis is the last one:
    // channels-first puts it at axis 1, where ONNX wants it (rank 2 is [N, C] already).
    const c = x.shape[x.shape.length - 1] as number;
    let i = 0;
    const gamma = p.scale ? ctx.param(`${name}_gamma`, weights[i], i++) : ctx.weight(`${name}_ones`, new Float32Array(c).fill(1), [c]);
    const beta = p.center ? ctx.param(`${name}_beta`, weights[i], i++) : ctx.weight(`${name}_zeros`, new Float32Array(c), [c]);
    const mean = ctx.state(`${name}_moving_mean`, weights[i], i++);
    const variance = ctx.state(`${name}_moving_variance`, weights[i], i++);
    const v = ctx.asLayout(x, 'first');
    if (!ctx.training) {
      const [out] = ctx.node('BatchNormalization', [v.name, gamma, beta, mean, variance], { epsilon: attr.f(p.epsilon) });
      return [{ ...v, name: out }];
    }
    return [emitBatchNormTraining(ctx, v, { gamma, beta, mean, variance, c, epsilon: p.epsilon, momentum: p.momentum, name })];
  },
  channelwise: 'same',
  // Weight sharing: every per-channel weight follows the path's channels.
  sliced: (c, p) => {
    const tf = c.tf;
    const gamma = c.take('gamma', { rows: 0 });
    const beta = c.take('beta', { rows: 0 });
    // The moving averages are weights either way: extraction copies the path's rows of them.
    const movingMean = c.take('moving_mean', { rows: 0 })!;
    const movingVariance = c.take('moving_variance', { rows: 0 })!;
    let mean = movingMean;
    let variance = movingVariance;
    if (c.batchStats) {
      ({ mean, variance } = tf.moments(
        c.x,
        c.x.shape.slice(0, -1).map((_, i) => i),
      ));
      c.updateMoving(mean, variance, p.momentum);
    }
    return { t: tf.batchNorm(c.x, mean, variance, beta, gamma, p.epsilon), channels: 'input' };
  },
  tfjsTrainingGap: (p) => (p.center === false || p.scale === false ? 'BatchNorm with center or scale off crashes tf.js training' : null),
  examples: [
    { params: {}, inputs: [[null, 4, 4, 3]] },
    { params: { momentum: 0.9, epsilon: 1e-5, center: false }, inputs: [[null, 6]] },
    { params: { axis: 2, scale: false }, inputs: [[null, 5, 2]] },
  ],
};
