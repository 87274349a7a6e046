/**
 * GRU: gated recurrent unit (update and reset gates).
 *
 * tf.js 4.22 implements only the original convention reset_after = false (the reset gate is
 * applied before the recurrent matmul; one bias vector of 3·units) and throws on
 * `resetAfter: true`. That is what we build. Keras in TF 2.x defaults to reset_after = true
 * (cuDNN-compatible, bias of shape [2, 3·units]), so weights imported from Keras must come
 * from a GRU built with reset_after=False.
 */
import { z } from 'zod';
import { recurrentActivationSchema, rnnCost, rnnFields, rnnInfer, tfRegularizer } from './common.js';
import { emitRecurrent } from '../onnx/ops-recurrent.js';
import type { LayerDef } from './types.js';

const params = z.object({
  ...rnnFields,
  /** Gate activation; sigmoid (Keras default) rather than tf.js's hardSigmoid default. */
  recurrentActivation: recurrentActivationSchema.default('sigmoid'),
});

/** The GRU layer kind. */
export const GRU: LayerDef<z.output<typeof params>> = {
  kind: 'GRU',
  category: 'recurrent',
  label: 'GRU',
  doc: 'Gated recurrent unit layer over [batch, time, features] (reset_after = false).',
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p, inputs) => rnnInfer('GRU', p, inputs),
  cost: (p, inputs) => rnnCost(3, p, inputs),
  toTfjs: (tf, p, name) =>
    tf.layers.gru({
      name,
      units: p.units,
      activation: p.activation,
      recurrentActivation: p.recurrentActivation,
      useBias: p.useBias,
      returnSequences: p.returnSequences,
      goBackwards: p.goBackwards,
      dropout: p.dropout,
      recurrentDropout: p.recurrentDropout,
      kernelRegularizer: tfRegularizer(tf, p),
    }),
  // Dropout and recurrentDropout are training-only, so inference export ignores them.
  toOnnx: (ctx, p, [x], weights, name) => [emitRecurrent(ctx, 'GRU', p, x, weights, name)],
  // Float error accumulates over the time steps.
  exportTolerance: 1e-3,
  examples: [
    { params: { units: 4 }, inputs: [[null, 5, 3]] },
    { params: { units: 3, returnSequences: true, recurrentActivation: 'hardSigmoid', l2: 0.01 }, inputs: [[null, 4, 2]] },
    { params: { units: 2, goBackwards: true, dropout: 0.2, recurrentDropout: 0.1, useBias: false, activation: 'relu' }, inputs: [[null, null, 3]] },
  ],
};
