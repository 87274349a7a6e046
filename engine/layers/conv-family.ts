/**
 * The convolution family over sequences and images (Conv1D, Conv2D): one rank-generic
 * definition — shape rule, cost, tf.js layer, ONNX Conv — so the 1-D and 2-D kinds differ
 * only in their rank, sizes (one number or one per axis) and examples. Each kind file
 * instantiates its kind from here.
 */
import { z } from 'zod';
import {
  expectInputs,
  expectKnown,
  expectNoStrideDilation,
  expectPositive,
  expectRank,
  fusedActivationSchema,
  isDilated,
  paddingSchema,
  posInt,
  regularizerFields,
  size2Schema,
  tfRegularizer,
  windowOutput,
} from './common.js';
import type { LayerBase } from './common.js';
import { emitActivation } from '../onnx/ops.js';
import { windowAttrs } from '../onnx/ops-spatial.js';
import { attr } from '../onnx/values.js';
import type { LayerDef } from './types.js';

// Written out per rank (zod cannot type a default on a generic size schema), in the order
// the inspector shows them.
const params1D = z.object({
  filters: posInt,
  kernelSize: posInt.default(3),
  strides: posInt.default(1),
  padding: paddingSchema.default('valid'),
  dilation: posInt.default(1),
  activation: fusedActivationSchema.default('linear'),
  useBias: z.boolean().default(true),
  ...regularizerFields,
});
const params2D = z.object({
  filters: posInt,
  kernelSize: size2Schema.default(3),
  strides: size2Schema.default(1),
  padding: paddingSchema.default('valid'),
  dilation: size2Schema.default(1),
  activation: fusedActivationSchema.default('linear'),
  useBias: z.boolean().default(true),
  ...regularizerFields,
});
type Params = z.output<typeof params1D> | z.output<typeof params2D>;

/** One size per spatial axis. */
const axes = (v: number | readonly number[], rank: number): number[] => (typeof v === 'number' ? Array.from({ length: rank }, () => v) : [...v]);

/** The shape each rank takes, for messages and docs. */
const LAYOUT = {
  1: { shape: '[batch, steps, channels]', doc: '1-D convolution over [batch, steps, channels] sequences.' },
  2: { shape: '[batch, height, width, channels]', doc: '2-D convolution over [batch, height, width, channels] images.' },
} as const;

function convDef<P extends Params>(rank: 1 | 2, params: z.ZodType<P>, examples: LayerDef<P>['examples']): LayerBase<P> {
  const kind = `Conv${rank}D`;
  const def: LayerBase<P> = {
    kind,
    category: 'convolution',
    label: kind,
    doc: LAYOUT[rank].doc,
    inputs: [{ name: 'in' }],
    outputs: [{ name: 'out' }],
    params,
    inferShape: (p, inputs) => {
      expectInputs(kind, inputs, 1);
      const [s] = inputs;
      expectRank(kind, s, [rank + 2], `${kind} takes ${LAYOUT[rank].shape}; add Reshape before it`);
      expectKnown(kind, s, [rank + 1]);
      const [k, st, dl] = [axes(p.kernelSize, rank), axes(p.strides, rank), axes(p.dilation, rank)];
      expectNoStrideDilation(kind, st, dl);
      const dims = k.map((ki, i) => windowOutput(s[1 + i], ki, st[i], p.padding, dl[i]));
      for (const d of dims) expectPositive(kind, d, s, `kernel ${k.join('×')}`);
      return [[s[0], ...dims, p.filters]];
    },
    cost: (p, [s]) => {
      const [out] = def.inferShape(p, [s]);
      const weights = axes(p.kernelSize, rank).reduce((a, b) => a * b, 1) * (s[rank + 1] as number) * p.filters;
      const positions = out.slice(1, 1 + rank).reduce<number>((a, d) => a * (d ?? 1), 1);
      return { params: weights + (p.useBias ? p.filters : 0), flops: 2 * weights * positions };
    },
    toTfjs: (tf, p, name) => {
      const shared = { name, filters: p.filters, padding: p.padding, activation: p.activation, useBias: p.useBias, kernelRegularizer: tfRegularizer(tf, p) };
      if (rank === 1)
        return tf.layers.conv1d({ ...shared, kernelSize: p.kernelSize as number, strides: p.strides as number, dilationRate: p.dilation as number });
      const pair = (v: number | readonly number[]) => axes(v, 2) as [number, number];
      return tf.layers.conv2d({ ...shared, kernelSize: pair(p.kernelSize), strides: pair(p.strides), dilationRate: pair(p.dilation) });
    },
    // ONNX Conv on channels-first [N, C, …]; unknown lengths fall back to SAME_UPPER.
    toOnnx: (ctx, p, [x], [kernel, bias], name) => {
      const v = ctx.asLayout(x, 'first');
      const dl = axes(p.dilation, rank);
      // tf.js kernel [k…, cin, cout] -> ONNX [cout, cin, k…].
      const perm = rank === 1 ? [2, 1, 0] : [3, 2, 0, 1];
      const ins = [v.name, ctx.param(`${name}_W`, kernel, 0, perm)];
      if (p.useBias) ins.push(ctx.param(`${name}_B`, bias, 1));
      const [out] = ctx.node('Conv', ins, {
        ...windowAttrs(x.shape, axes(p.kernelSize, rank), axes(p.strides, rank), p.padding, dl),
        dilations: attr.ints(dl),
      });
      const [shape] = def.inferShape(p, [x.shape]);
      return [emitActivation(ctx, { name: out, shape, layout: 'first' }, p.activation)];
    },
    tfjsTrainingGap: (p) => (isDilated(p.dilation) ? `${kind} with dilation > 1 has no gradient in tf.js` : null),
    examples,
  };
  return def;
}

/** Conv1D: 1-D convolution over [batch, steps, channels]. */
export function conv1DKind(examples: LayerDef<z.output<typeof params1D>>['examples']): LayerBase<z.output<typeof params1D>> {
  return convDef(1, params1D, examples);
}

/** Conv2D: 2-D convolution over NHWC images. */
export function conv2DKind(examples: LayerDef<z.output<typeof params2D>>['examples']): LayerBase<z.output<typeof params2D>> {
  return convDef(2, params2D, examples);
}
