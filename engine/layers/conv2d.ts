/** Conv2D: 2-D convolution over NHWC images. */
import { z } from 'zod';
import {
  isDilated,
  expectInputs,
  expectKnown,
  expectPositive,
  expectRank,
  fusedActivationSchema,
  pair,
  paddingSchema,
  posInt,
  regularizerFields,
  size2Schema,
  tfRegularizer,
  windowOutput,
} from './common.js';
import { ShapeError } from '../graph/errors.js';
import { emitActivation } from '../onnx/ops.js';
import { windowAttrs } from '../onnx/ops-spatial.js';
import { attr } from '../onnx/values.js';
import type { LayerDef } from './types.js';

const params = z.object({
  filters: posInt,
  kernelSize: size2Schema.default(3),
  strides: size2Schema.default(1),
  padding: paddingSchema.default('valid'),
  dilation: size2Schema.default(1),
  activation: fusedActivationSchema.default('linear'),
  useBias: z.boolean().default(true),
  ...regularizerFields,
});

/** The Conv2D layer kind. */
export const Conv2D: LayerDef<z.output<typeof params>> = {
  kind: 'Conv2D',
  category: 'convolution',
  label: 'Conv2D',
  doc: '2-D convolution over [batch, height, width, channels] images.',
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p, inputs) => {
    expectInputs('Conv2D', inputs, 1);
    const [s] = inputs;
    expectRank('Conv2D', s, [4], 'Conv2D takes [batch, height, width, channels]; add Reshape before it');
    expectKnown('Conv2D', s, [3]);
    const [kh, kw] = pair(p.kernelSize);
    const [sh, sw] = pair(p.strides);
    const [dh, dw] = pair(p.dilation);
    if ((sh > 1 || sw > 1) && (dh > 1 || dw > 1)) {
      throw new ShapeError('Conv2D cannot combine strides > 1 with dilation > 1 (tf.js restriction)');
    }
    const h = windowOutput(s[1], kh, sh, p.padding, dh);
    const w = windowOutput(s[2], kw, sw, p.padding, dw);
    expectPositive('Conv2D', h, s, `kernel ${kh}×${kw}`);
    expectPositive('Conv2D', w, s, `kernel ${kh}×${kw}`);
    return [[s[0], h, w, p.filters]];
  },
  cost: (p, [s]) => {
    const [out] = Conv2D.inferShape(p, [s]);
    const [kh, kw] = pair(p.kernelSize);
    const cin = s[3] as number;
    const weights = kh * kw * cin * p.filters;
    const positions = (out[1] ?? 1) * (out[2] ?? 1);
    return { params: weights + (p.useBias ? p.filters : 0), flops: 2 * weights * positions };
  },
  toTfjs: (tf, p, name) =>
    tf.layers.conv2d({
      name,
      filters: p.filters,
      kernelSize: pair(p.kernelSize),
      strides: pair(p.strides),
      padding: p.padding,
      dilationRate: pair(p.dilation),
      activation: p.activation,
      useBias: p.useBias,
      kernelRegularizer: tfRegularizer(tf, p),
    }),
  toOnnx: (ctx, p, [x], [kernel, bias], name) => {
    const v = ctx.asLayout(x, 'first');
    const dl = pair(p.dilation);
    // tf.js kernel [kh, kw, cin, cout] -> ONNX [cout, cin, kh, kw].
    const ins = [v.name, ctx.param(`${name}_W`, kernel, 0, [3, 2, 0, 1])];
    if (p.useBias) ins.push(ctx.param(`${name}_B`, bias, 1));
    const [out] = ctx.node('Conv', ins, { ...windowAttrs(x.shape, pair(p.kernelSize), pair(p.strides), p.padding, dl), dilations: attr.ints(dl) });
    const [shape] = Conv2D.inferShape(p, [x.shape]);
    return [emitActivation(ctx, { name: out, shape, layout: 'first' }, p.activation)];
  },
  tfjsTrainingGap: (p) => (isDilated(p.dilation) ? 'Conv2D with dilation > 1 has no gradient in tf.js' : null),
  examples: [
    { params: { filters: 4 }, inputs: [[null, 8, 8, 2]] },
    { params: { filters: 3, kernelSize: [3, 5], strides: 2, padding: 'same', activation: 'relu' }, inputs: [[null, 9, 7, 3]] },
    { params: { filters: 2, kernelSize: 1, dilation: 2, l1: 0.001 }, inputs: [[null, 6, 6, 1]] },
  ],
};
