/** SimpleRNN: fully connected recurrent layer, h_t = activation(x_t·W + h_{t-1}·U + b). */
import { z } from 'zod';
import { rnnCost, rnnFields, rnnInfer, tfRegularizer } from './common.js';
import { emitRecurrent } from '../onnx/ops-recurrent.js';
import type { LayerDef } from './types.js';

const params = z.object({ ...rnnFields });

/** The SimpleRNN layer kind. */
export const SimpleRNN: LayerDef<z.output<typeof params>> = {
  kind: 'SimpleRNN',
  category: 'recurrent',
  label: 'SimpleRNN',
  doc: 'Elman recurrent layer over [batch, time, features].',
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p, inputs) => rnnInfer('SimpleRNN', p, inputs),
  cost: (p, inputs) => rnnCost(1, p, inputs),
  toTfjs: (tf, p, name) =>
    tf.layers.simpleRNN({
      name,
      units: p.units,
      activation: p.activation,
      useBias: p.useBias,
      returnSequences: p.returnSequences,
      goBackwards: p.goBackwards,
      dropout: p.dropout,
      recurrentDropout: p.recurrentDropout,
      kernelRegularizer: tfRegularizer(tf, p),
    }),
  // Dropout and recurrentDropout are training-only, so inference export ignores them.
  toOnnx: (ctx, p, [x], weights, name) => [emitRecurrent(ctx, 'SimpleRNN', p, x, weights, name)],
  // Float error accumulates over the time steps.
  exportTolerance: 1e-3,
  examples: [
    { params: { units: 4 }, inputs: [[null, 5, 3]] },
    { params: { units: 3, returnSequences: true, activation: 'relu', l2: 0.01 }, inputs: [[null, 4, 2]] },
    { params: { units: 2, goBackwards: true, dropout: 0.1, recurrentDropout: 0.1, useBias: false }, inputs: [[null, null, 3]] },
  ],
};
