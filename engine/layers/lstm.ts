/** LSTM: long short-term memory recurrent layer (input, forget, cell and output gates). */
import { z } from 'zod';
import { recurrentActivationSchema, rnnCost, rnnFields, rnnInfer, tfRegularizer } from './common.js';
import { emitRecurrent } from '../onnx/ops-recurrent.js';
import type { LayerDef, Tf } from './types.js';

/**
 * The unit-forget-bias initializer [0…, 1…, 0…, 0…] (gates i, f, c, o). tf.js's own
 * `unitForgetBias: true` builds it from intermediate tensors it never disposes (4 leaked per
 * build, which adds up over thousands of NAS trials), so we compute it inside tidy. It rides
 * on a Zeros instance because tf.js accepts only Initializer instances.
 */
function forgetBiasInitializer(tf: Tf, units: number) {
  const init = tf.initializers.zeros();
  init.apply = () => tf.tidy(() => tf.concat([tf.zeros([units]), tf.ones([units]), tf.zeros([2 * units])]));
  return init;
}

const params = z.object({
  ...rnnFields,
  /** Gate activation; sigmoid (Keras default) rather than tf.js's hardSigmoid default. */
  recurrentActivation: recurrentActivationSchema.default('sigmoid'),
  /** Initialize the forget-gate bias to 1 (Jozefowicz et al.), as tf.js and Keras do. */
  unitForgetBias: z.boolean().default(true),
});

/** The LSTM layer kind. */
export const LSTM: LayerDef<z.output<typeof params>> = {
  kind: 'LSTM',
  category: 'recurrent',
  label: 'LSTM',
  doc: 'Long short-term memory layer over [batch, time, features].',
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p, inputs) => rnnInfer('LSTM', p, inputs),
  cost: (p, inputs) => rnnCost(4, p, inputs),
  toTfjs: (tf, p, name) =>
    tf.layers.lstm({
      name,
      units: p.units,
      activation: p.activation,
      recurrentActivation: p.recurrentActivation,
      unitForgetBias: false,
      biasInitializer: p.unitForgetBias ? forgetBiasInitializer(tf, p.units) : 'zeros',
      useBias: p.useBias,
      returnSequences: p.returnSequences,
      goBackwards: p.goBackwards,
      dropout: p.dropout,
      recurrentDropout: p.recurrentDropout,
      kernelRegularizer: tfRegularizer(tf, p),
    }),
  // Dropout and recurrentDropout are training-only, so inference export ignores them.
  toOnnx: (ctx, p, [x], weights, name) => [emitRecurrent(ctx, 'LSTM', p, x, weights, name)],
  // Float error accumulates over the time steps.
  exportTolerance: 1e-3,
  examples: [
    { params: { units: 4 }, inputs: [[null, 5, 3]] },
    { params: { units: 3, returnSequences: true, recurrentActivation: 'hardSigmoid', l1: 0.001 }, inputs: [[null, 4, 2]] },
    { params: { units: 2, goBackwards: true, dropout: 0.2, recurrentDropout: 0.1, useBias: false, unitForgetBias: false }, inputs: [[null, null, 3]] },
  ],
};
