/**
 * BatchNorm: normalizes each feature with batch statistics while training and with moving
 * averages at inference, then scales (gamma) and shifts (beta).
 */
import { z } from 'zod';
import { elementsPerSample, expectInputs, expectKnown, resolveAxis } from './common.js';
import type { LayerDef } from './types.js';

const params = z.object({
  /** Feature axis (negative counts from the end); -1 = channels of NHWC / features. */
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
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p, inputs) => {
    expectInputs('BatchNorm', inputs, 1);
    const [s] = inputs;
    const a = resolveAxis('BatchNorm', p.axis, s);
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
  examples: [
    { params: {}, inputs: [[null, 4, 4, 3]] },
    { params: { momentum: 0.9, epsilon: 1e-5, center: false }, inputs: [[null, 6]] },
    { params: { axis: 1, scale: false }, inputs: [[null, 5, 2]] },
  ],
};
