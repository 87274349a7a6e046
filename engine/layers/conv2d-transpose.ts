/**
 * Conv2DTranspose: transposed ("de-") convolution over NHWC images, used to upsample in
 * decoders and segmentation heads.
 */
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
} from './common.js';
import { emitActivation } from '../onnx/ops.js';
import { deconvPads } from '../onnx/ops-spatial.js';
import { attr } from '../onnx/values.js';
import type { LayerDef } from './types.js';

// No dilation param: tf.js 4.22 Conv2DTranspose ignores dilationRate in call().
const params = z.object({
  filters: posInt,
  kernelSize: size2Schema.default(3),
  strides: size2Schema.default(1),
  padding: paddingSchema.default('valid'),
  activation: fusedActivationSchema.default('linear'),
  useBias: z.boolean().default(true),
  ...regularizerFields,
});

/** tf.js `deconvLength`: output size of a transposed convolution along one axis. */
function deconv(size: number | null, kernel: number, stride: number, padding: 'valid' | 'same'): number | null {
  if (size === null) return null;
  return padding === 'same' ? size * stride : size * stride + Math.max(kernel - stride, 0);
}

/** The Conv2DTranspose layer kind. */
export const Conv2DTranspose: LayerDef<z.output<typeof params>> = {
  kind: 'Conv2DTranspose',
  category: 'convolution',
  label: 'Conv2D Transpose',
  doc: 'Transposed 2-D convolution (learned upsampling) over NHWC images.',
  paramDocs: {
    padding: "'same': output = input × stride; 'valid': output = input × stride + max(kernel − stride, 0).",
    strides: 'Upsampling factor: 2 doubles height and width.',
  },
  explainShape: (p, [s], [o]) => {
    const [kh] = pair(p.kernelSize);
    const [sh] = pair(p.strides);
    const axis = p.padding === 'same' ? `${o[1]} = ${s[1]} × ${sh}` : `${o[1]} = ${s[1]} × ${sh} + max(${kh} − ${sh}, 0)`;
    return `height ${axis}${o[2] !== o[1] ? ` (width ${o[2]})` : ', width likewise'} (kernel ${kh}, stride ${sh}, ${p.padding} padding); ${o[3]} channels = filters`;
  },
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p, inputs) => {
    expectInputs('Conv2DTranspose', inputs, 1);
    const [s] = inputs;
    expectRank('Conv2DTranspose', s, [4], 'Conv2DTranspose takes [batch, height, width, channels]; add Reshape before it');
    expectKnown('Conv2DTranspose', s, [3]);
    const [kh, kw] = pair(p.kernelSize);
    const [sh, sw] = pair(p.strides);
    return [[s[0], deconv(s[1], kh, sh, p.padding), deconv(s[2], kw, sw, p.padding), p.filters]];
  },
  cost: (p, [s]) => {
    const [kh, kw] = pair(p.kernelSize);
    const weights = kh * kw * (s[3] as number) * p.filters;
    // Every input position scatters one kernel-sized update into the output.
    const positions = (s[1] ?? 1) * (s[2] ?? 1);
    return { params: weights + (p.useBias ? p.filters : 0), flops: 2 * weights * positions };
  },
  toTfjs: (tf, p, name) =>
    tf.layers.conv2dTranspose({
      name,
      filters: p.filters,
      kernelSize: pair(p.kernelSize),
      strides: pair(p.strides),
      padding: p.padding,
      activation: p.activation,
      useBias: p.useBias,
      kernelRegularizer: tfRegularizer(tf, p),
    }),
  toOnnx: (ctx, p, [x], [kernel, bias], name) => {
    const v = ctx.asLayout(x, 'first');
    const k = pair(p.kernelSize);
    const st = pair(p.strides);
    // tf.js keeps the transposed kernel as [kh, kw, cout, cin] (the forward conv's layout
    // seen from the output); ONNX ConvTranspose wants [cin, cout, kh, kw]. Neither flips it.
    const ins = [v.name, ctx.param(`${name}_W`, kernel, 0, [3, 2, 0, 1])];
    if (p.useBias) ins.push(ctx.param(`${name}_B`, bias, 1));
    // Explicit pads/output_padding rather than auto_pad or output_shape: they reproduce
    // tf.js's deconvLength for any input size, and auto_pad SAME_* has differed between
    // runtimes for ConvTranspose.
    const { pads, outputPadding } = deconvPads(k, st, p.padding);
    const [out] = ctx.node('ConvTranspose', ins, {
      kernel_shape: attr.ints(k),
      strides: attr.ints(st),
      pads: attr.ints(pads),
      output_padding: attr.ints(outputPadding),
    });
    const [shape] = Conv2DTranspose.inferShape(p, [x.shape]);
    return [emitActivation(ctx, { name: out, shape, layout: 'first' }, p.activation)];
  },
  examples: [
    { params: { filters: 3 }, inputs: [[null, 4, 4, 2]] },
    { params: { filters: 2, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'relu' }, inputs: [[null, 3, 5, 4]] },
    { params: { filters: 2, kernelSize: 2, strides: [2, 3], useBias: false, l1: 0.001 }, inputs: [[null, 3, 3, 1]] },
  ],
};
