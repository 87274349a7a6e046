/** LayerNorm: normalizes each sample over its last axis, then scales and shifts. */
import { z } from 'zod';
import { elementsPerSample, expectInputs, expectKnown, expectMinRank } from './common.js';
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

/** The LayerNorm layer kind. */
export const LayerNorm: LayerDef<z.output<typeof params>> = {
  kind: 'LayerNorm',
  category: 'normalization',
  label: 'Layer Norm',
  doc: 'Layer normalization over the last axis of each sample.',
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
  examples: [
    { params: {}, inputs: [[null, 8]] },
    { params: { epsilon: 1e-5, center: false }, inputs: [[null, 4, 6]] },
    { params: { scale: false }, inputs: [[null, 3, 3, 2]] },
  ],
};
