/** DepthwiseConv2D: one spatial filter per input channel (MobileNet building block). */
import { z } from 'zod';
import type * as tfNs from '@tensorflow/tfjs';
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
import { emitActivation } from '../onnx/ops.js';
import { windowAttrs } from '../onnx/ops-spatial.js';
import { attr } from '../onnx/values.js';
import { window2dText } from './explain.js';
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
  paramDocs: {},
  explainShape: (p, [s], [o]) =>
    `${window2dText(s, o, p.kernelSize, p.strides, p.padding)}; ${o[3]} channels = ${s[3]} input channels × depthMultiplier ${p.depthMultiplier}`,
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
  toOnnx: (ctx, p, [x], [kernel, bias], name) => {
    const v = ctx.asLayout(x, 'first');
    const cin = x.shape[3] as number;
    const k = pair(p.kernelSize);
    // tf.js depthwise kernel [kh, kw, cin, mult]; its output channel c·mult + m is ONNX
    // group c's m-th filter, so [cin, mult, kh, kw] flattened to [cin·mult, 1, kh, kw].
    const w = ctx.param(`${name}_W`, kernel, 0, [2, 3, 0, 1], [cin * p.depthMultiplier, 1, k[0], k[1]]);
    const ins = [v.name, w];
    if (p.useBias) ins.push(ctx.param(`${name}_B`, bias, 1));
    const [out] = ctx.node('Conv', ins, { ...windowAttrs(x.shape, k, pair(p.strides), p.padding), group: attr.i(cin) });
    const [shape] = DepthwiseConv2D.inferShape(p, [x.shape]);
    return [emitActivation(ctx, { name: out, shape, layout: 'first' }, p.activation)];
  },
  // Weight sharing: the kernel's input rows and the bias follow the path's channels.
  sliced: (c, p) => {
    const dk = c.take('depthwise_kernel', { rows: 2 }) as tfNs.Tensor4D;
    let y: tfNs.Tensor = c.tf.depthwiseConv2d(c.x as tfNs.Tensor4D, dk, pair(p.strides), p.padding);
    const bias = c.take('bias', { depthRows: { axis: 0, multiplier: p.depthMultiplier } });
    if (bias) y = c.tf.add(y, bias);
    return { t: c.activate(y, p.activation), channels: { depthwise: p.depthMultiplier } };
  },
  // Output channel c·m + k reads input channel c only.
  channelwise: (p) => p.depthMultiplier,
  examples: [
    { params: {}, inputs: [[null, 6, 6, 3]] },
    { params: { kernelSize: [3, 1], strides: 2, padding: 'same', depthMultiplier: 2, activation: 'relu' }, inputs: [[null, 7, 5, 2]] },
    { params: { kernelSize: 2, strides: [1, 2], useBias: false, l2: 0.01 }, inputs: [[null, 5, 6, 4]] },
  ],
};
