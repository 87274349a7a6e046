/** Dense: fully connected layer over the last axis. */
import { z } from 'zod';
import type * as tfNs from '@tensorflow/tfjs';
import { expectInputs, expectKnown, expectRank, fusedActivationSchema, posInt, regularizerFields, tfRegularizer } from './common.js';
import { emitActivation } from '../onnx/ops.js';
import type { OnnxValue } from '../onnx/values.js';
import { fmtShape } from './common.js';
import type { LayerDef } from './types.js';

const params = z.object({
  units: posInt,
  activation: fusedActivationSchema.default('linear'),
  useBias: z.boolean().default(true),
  ...regularizerFields,
});

/** The Dense layer kind. */
export const Dense: LayerDef<z.output<typeof params>> = {
  kind: 'Dense',
  category: 'core',
  label: 'Dense',
  doc: 'Fully connected layer: y = activation(x·W + b) over the last axis.',
  paramDocs: {},
  explainShape: (p, [s], [o]) =>
    `the last axis (${s.at(-1)} features) becomes units = ${p.units}${o.length > 2 ? '; the other axes are kept' : ''}: ${fmtShape(s)} -> ${fmtShape(o)}`,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p, inputs) => {
    expectInputs('Dense', inputs, 1);
    const [s] = inputs;
    expectRank('Dense', s, [2, 3], 'add Flatten before it');
    expectKnown('Dense', s, [s.length - 1]);
    return [[...s.slice(0, -1), p.units]];
  },
  cost: (p, [s]) => {
    const inF = s.at(-1) as number;
    const steps = s.length === 3 ? (s[1] ?? 1) : 1;
    return {
      params: inF * p.units + (p.useBias ? p.units : 0),
      flops: steps * 2 * inF * p.units,
    };
  },
  toTfjs: (tf, p, name) =>
    tf.layers.dense({
      name,
      units: p.units,
      activation: p.activation,
      useBias: p.useBias,
      kernelRegularizer: tfRegularizer(tf, p),
    }),
  toOnnx: (ctx, p, [x], [kernel, bias], name) => {
    // MatMul acts on the last axis, so rank-3 sequences work too. Channels-last keeps the
    // feature axis last, matching the tf.js kernel [in, units].
    const v = ctx.asLayout(x, 'last');
    const w = ctx.param(`${name}_kernel`, kernel, 0);
    let y: OnnxValue = { name: ctx.node('MatMul', [v.name, w])[0], shape: [...v.shape.slice(0, -1), p.units], layout: 'last' };
    if (p.useBias) y = { ...y, name: ctx.node('Add', [y.name, ctx.param(`${name}_bias`, bias, 1)])[0] };
    return [emitActivation(ctx, y, p.activation)];
  },
  // Weight sharing: kernel rows follow the path's input features, columns its width.
  sliced: (c, p) => {
    const tf = c.tf;
    const k = c.take('kernel', { rows: 0, prefix: { axis: 1, n: p.units } }) as tfNs.Tensor2D;
    const bias = c.take('bias', { prefix: { axis: 0, n: p.units } });
    const fused = c.fusable(p.activation);
    const lead = c.x.shape.slice(0, -1);
    const a = (c.x.rank === 2 ? c.x : tf.reshape(c.x, [-1, c.channels])) as tfNs.Tensor2D;
    let y: tfNs.Tensor = tf.fused.matMul({ a, b: k, bias, activation: fused ? (p.activation as 'relu') : 'linear' });
    if (c.x.rank !== 2) y = tf.reshape(y, [...lead, p.units]);
    return { t: fused ? y : c.activate(y, p.activation), channels: 'own' };
  },
  examples: [
    { params: { units: 5 }, inputs: [[null, 7]] },
    { params: { units: 3, activation: 'relu', useBias: false, l2: 0.01 }, inputs: [[null, 4, 6]] },
  ],
};
