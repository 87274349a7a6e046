/** DepthwiseConv2D: one spatial filter per input channel (MobileNet building block). */
import { z } from 'zod';
import {
  expectInputs,
  expectKnown,
  expectRank,
  fusedActivationSchema,
  pair,
  paddingSchema,
  posInt,
  regularizerFields,
  size2Schema,
  tfRegularizer,
  window2D,
} from './common.js';
import type { LayerDef } from './types.js';

// No dilation param: tf.js 4.22 DepthwiseConv2D does not pass dilationRate to its kernel.
const params = z.object({
  kernelSize: size2Schema.default(3),
  strides: size2Schema.default(1),
  padding: paddingSchema.default('valid'),
  /** Output channels per input channel. */
  depthMultiplier: posInt.default(1),
  activation: fusedActivationSchema.default('linear'),
  useBias: z.boolean().default(true),
  ...regularizerFields,
});

/** The DepthwiseConv2D layer kind. */
export const DepthwiseConv2D: LayerDef<z.output<typeof params>> = {
  kind: 'DepthwiseConv2D',
  category: 'convolution',
  label: 'Depthwise Conv2D',
  doc: 'Depthwise 2-D convolution: each input channel gets its own filters.',
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p, inputs) => {
    expectInputs('DepthwiseConv2D', inputs, 1);
    const [s] = inputs;
    expectRank('DepthwiseConv2D', s, [4], 'DepthwiseConv2D takes [batch, height, width, channels]; add Reshape before it');
    expectKnown('DepthwiseConv2D', s, [3]);
    const [h, w] = window2D('DepthwiseConv2D', s, pair(p.kernelSize), pair(p.strides), p.padding);
    return [[s[0], h, w, (s[3] as number) * p.depthMultiplier]];
  },
  cost: (p, [s]) => {
    const [out] = DepthwiseConv2D.inferShape(p, [s]);
    const [kh, kw] = pair(p.kernelSize);
    const outC = (s[3] as number) * p.depthMultiplier;
    const weights = kh * kw * outC;
    return { params: weights + (p.useBias ? outC : 0), flops: 2 * weights * (out[1] ?? 1) * (out[2] ?? 1) };
  },
  toTfjs: (tf, p, name) =>
    tf.layers.depthwiseConv2d({
      name,
      kernelSize: pair(p.kernelSize),
      strides: pair(p.strides),
      padding: p.padding,
      depthMultiplier: p.depthMultiplier,
      activation: p.activation,
      useBias: p.useBias,
      depthwiseRegularizer: tfRegularizer(tf, p),
    }),
  examples: [
    { params: {}, inputs: [[null, 6, 6, 3]] },
    { params: { kernelSize: [3, 1], strides: 2, padding: 'same', depthMultiplier: 2, activation: 'relu' }, inputs: [[null, 7, 5, 2]] },
    { params: { kernelSize: 2, strides: [1, 2], useBias: false, l2: 0.01 }, inputs: [[null, 5, 6, 4]] },
  ],
};
