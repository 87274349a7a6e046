/** SeparableConv2D: depthwise convolution followed by a 1×1 pointwise convolution. */
import { z } from 'zod';
import type * as tfNs from '@tensorflow/tfjs';
import {
  isDilated,
  expectInputs,
  expectKnown,
  expectNoStrideDilation,
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

const params = z.object({
  filters: posInt,
  kernelSize: size2Schema.default(3),
  strides: size2Schema.default(1),
  padding: paddingSchema.default('valid'),
  dilation: size2Schema.default(1),
  /** Depthwise output channels per input channel. */
  depthMultiplier: posInt.default(1),
  activation: fusedActivationSchema.default('linear'),
  useBias: z.boolean().default(true),
  ...regularizerFields,
});

/** The SeparableConv2D layer kind. */
export const SeparableConv2D: LayerDef<z.output<typeof params>> = {
  kind: 'SeparableConv2D',
  category: 'convolution',
  label: 'Separable Conv2D',
  doc: 'Depthwise-separable 2-D convolution: per-channel spatial filter, then 1×1 mixing.',
  paramDocs: { filters: 'Output channels of the 1×1 pointwise step that mixes the channels.' },
  explainShape: (p, [s], [o]) => `${window2dText(s, o, p.kernelSize, p.strides, p.padding, p.dilation)}; ${o[3]} channels = filters (after the 1×1 mixing)`,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p, inputs) => {
    expectInputs('SeparableConv2D', inputs, 1);
    const [s] = inputs;
    expectRank('SeparableConv2D', s, [4], 'SeparableConv2D takes [batch, height, width, channels]; add Reshape before it');
    expectKnown('SeparableConv2D', s, [3]);
    const strides = pair(p.strides);
    const dilation = pair(p.dilation);
    expectNoStrideDilation('SeparableConv2D', strides, dilation);
    const [h, w] = window2D('SeparableConv2D', s, pair(p.kernelSize), strides, p.padding, dilation);
    return [[s[0], h, w, p.filters]];
  },
  cost: (p, [s]) => {
    const [out] = SeparableConv2D.inferShape(p, [s]);
    const [kh, kw] = pair(p.kernelSize);
    const mid = (s[3] as number) * p.depthMultiplier;
    const depthwise = kh * kw * mid;
    const pointwise = mid * p.filters;
    const positions = (out[1] ?? 1) * (out[2] ?? 1);
    return {
      params: depthwise + pointwise + (p.useBias ? p.filters : 0),
      flops: 2 * (depthwise + pointwise) * positions,
    };
  },
  toTfjs: (tf, p, name) => {
    // tf.js rejects kernelRegularizer on separable convs; the penalty goes on both kernels.
    const reg = tfRegularizer(tf, p);
    return tf.layers.separableConv2d({
      name,
      filters: p.filters,
      kernelSize: pair(p.kernelSize),
      strides: pair(p.strides),
      padding: p.padding,
      dilationRate: pair(p.dilation),
      depthMultiplier: p.depthMultiplier,
      activation: p.activation,
      useBias: p.useBias,
      depthwiseRegularizer: reg,
      pointwiseRegularizer: reg,
    });
  },
  toOnnx: (ctx, p, [x], [depthwise, pointwise, bias], name) => {
    const v = ctx.asLayout(x, 'first');
    const cin = x.shape[3] as number;
    const mid = cin * p.depthMultiplier;
    const k = pair(p.kernelSize);
    const dl = pair(p.dilation);
    // Depthwise step: [kh, kw, cin, mult] -> [cin·mult, 1, kh, kw] with group = cin (tf.js
    // channel c·mult + m is group c's m-th filter). Padding, strides and dilation apply here.
    const dw = ctx.param(`${name}_depthwise`, depthwise, 0, [2, 3, 0, 1], [mid, 1, k[0], k[1]]);
    const [d] = ctx.node('Conv', [v.name, dw], {
      ...windowAttrs(x.shape, k, pair(p.strides), p.padding, dl),
      dilations: attr.ints(dl),
      group: attr.i(cin),
    });
    // Pointwise step: 1×1 kernel [1, 1, mid, cout] -> [cout, mid, 1, 1]; the bias goes here.
    const ins = [d, ctx.param(`${name}_pointwise`, pointwise, 1, [3, 2, 0, 1])];
    if (p.useBias) ins.push(ctx.param(`${name}_B`, bias, 2));
    const [out] = ctx.node('Conv', ins, { kernel_shape: attr.ints([1, 1]) });
    const [shape] = SeparableConv2D.inferShape(p, [x.shape]);
    return [emitActivation(ctx, { name: out, shape, layout: 'first' }, p.activation)];
  },
  // Weight sharing: depthwise rows follow the path's channels, pointwise rows the depthwise
  // outputs, pointwise columns and bias the width.
  sliced: (c, p) => {
    const dk = c.take('depthwise_kernel', { rows: 2 }) as tfNs.Tensor4D;
    const pk = c.take('pointwise_kernel', { depthRows: { axis: 2, multiplier: p.depthMultiplier }, prefix: { axis: 3, n: p.filters } }) as tfNs.Tensor4D;
    let y: tfNs.Tensor = c.tf.separableConv2d(c.x as tfNs.Tensor4D, dk, pk, pair(p.strides), p.padding, pair(p.dilation), 'NHWC');
    const bias = c.take('bias', { prefix: { axis: 0, n: p.filters } });
    if (bias) y = c.tf.add(y, bias);
    return { t: c.activate(y, p.activation), channels: 'own' };
  },
  tfjsTrainingGap: (p) => (isDilated(p.dilation) ? 'SeparableConv2D with dilation > 1 has no gradient in tf.js' : null),
  examples: [
    { params: { filters: 4 }, inputs: [[null, 6, 6, 3]] },
    { params: { filters: 2, kernelSize: [3, 2], strides: 2, padding: 'same', depthMultiplier: 2, activation: 'relu' }, inputs: [[null, 7, 6, 2]] },
    { params: { filters: 3, kernelSize: 2, dilation: 2, useBias: false, l1: 0.001, l2: 0.001 }, inputs: [[null, 6, 7, 2]] },
  ],
};
