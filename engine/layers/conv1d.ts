/** Conv1D: 1-D convolution over [batch, steps, channels] sequences. */
import { z } from 'zod';
import {
  isDilated,
  expectInputs,
  expectKnown,
  expectNoStrideDilation,
  expectPositive,
  expectRank,
  fusedActivationSchema,
  paddingSchema,
  posInt,
  regularizerFields,
  tfRegularizer,
  windowOutput,
} from './common.js';
import { emitActivation } from '../onnx/ops.js';
import { windowAttrs } from '../onnx/ops-spatial.js';
import { attr } from '../onnx/values.js';
import type { LayerDef } from './types.js';

const params = z.object({
  filters: posInt,
  kernelSize: posInt.default(3),
  strides: posInt.default(1),
  padding: paddingSchema.default('valid'),
  dilation: posInt.default(1),
  activation: fusedActivationSchema.default('linear'),
  useBias: z.boolean().default(true),
  ...regularizerFields,
});

/** The Conv1D layer kind. */
export const Conv1D: LayerDef<z.output<typeof params>> = {
  kind: 'Conv1D',
  category: 'convolution',
  label: 'Conv1D',
  doc: '1-D convolution over [batch, steps, channels] sequences.',
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p, inputs) => {
    expectInputs('Conv1D', inputs, 1);
    const [s] = inputs;
    expectRank('Conv1D', s, [3], 'Conv1D takes [batch, steps, channels]; add Reshape before it');
    expectKnown('Conv1D', s, [2]);
    expectNoStrideDilation('Conv1D', [p.strides], [p.dilation]);
    const steps = windowOutput(s[1], p.kernelSize, p.strides, p.padding, p.dilation);
    expectPositive('Conv1D', steps, s, `kernel ${p.kernelSize}`);
    return [[s[0], steps, p.filters]];
  },
  cost: (p, [s]) => {
    const [out] = Conv1D.inferShape(p, [s]);
    const weights = p.kernelSize * (s[2] as number) * p.filters;
    return { params: weights + (p.useBias ? p.filters : 0), flops: 2 * weights * (out[1] ?? 1) };
  },
  toTfjs: (tf, p, name) =>
    tf.layers.conv1d({
      name,
      filters: p.filters,
      kernelSize: p.kernelSize,
      strides: p.strides,
      padding: p.padding,
      dilationRate: p.dilation,
      activation: p.activation,
      useBias: p.useBias,
      kernelRegularizer: tfRegularizer(tf, p),
    }),
  toOnnx: (ctx, p, [x], [kernel, bias], name) => {
    // ONNX 1-D Conv on channels-first [N, C, W]; unknown lengths fall back to SAME_UPPER.
    const v = ctx.asLayout(x, 'first');
    // tf.js kernel [k, cin, cout] -> ONNX [cout, cin, k].
    const ins = [v.name, ctx.param(`${name}_W`, kernel, 0, [2, 1, 0])];
    if (p.useBias) ins.push(ctx.param(`${name}_B`, bias, 1));
    const [out] = ctx.node('Conv', ins, {
      ...windowAttrs(x.shape, [p.kernelSize], [p.strides], p.padding, [p.dilation]),
      dilations: attr.ints([p.dilation]),
    });
    const [shape] = Conv1D.inferShape(p, [x.shape]);
    return [emitActivation(ctx, { name: out, shape, layout: 'first' }, p.activation)];
  },
  tfjsTrainingGap: (p) => (isDilated(p.dilation) ? 'Conv1D with dilation > 1 has no gradient in tf.js' : null),
  examples: [
    { params: { filters: 4 }, inputs: [[null, 10, 3]] },
    { params: { filters: 2, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu', l2: 0.01 }, inputs: [[null, 9, 2]] },
    { params: { filters: 3, kernelSize: 2, dilation: 2, useBias: false }, inputs: [[null, 8, 1]] },
    // Unknown sequence length: the output length is unknown too.
    { params: { filters: 2, padding: 'same' }, inputs: [[null, null, 3]] },
  ],
};
