/** LSTM: long short-term memory recurrent layer (input, forget, cell and output gates). */
import { z } from 'zod';
import { recurrentActivationSchema, rnnFields } from './common.js';
import { recurrentKind } from './recurrent-family.js';
import type { Tf } from './types.js';
import { fmtShape } from './common.js';
import { extendKind } from './common.js';

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
export const LSTM = extendKind(
  recurrentKind({
    kind: 'LSTM',
    doc: 'Long short-term memory layer over [batch, time, features].',
    gates: 4,
    params,
    build: (tf, p, shared) =>
      tf.layers.lstm({
        ...shared,
        recurrentActivation: p.recurrentActivation,
        unitForgetBias: false,
        biasInitializer: p.unitForgetBias ? forgetBiasInitializer(tf, p.units) : 'zeros',
      }),
    examples: [
      { params: { units: 4 }, inputs: [[null, 5, 3]] },
      { params: { units: 3, returnSequences: true, recurrentActivation: 'hardSigmoid', l1: 0.001 }, inputs: [[null, 4, 2]] },
      { params: { units: 2, goBackwards: true, dropout: 0.2, recurrentDropout: 0.1, useBias: false, unitForgetBias: false }, inputs: [[null, null, 3]] },
    ],
  }),
  {
    paramDocs: { unitForgetBias: 'Start the forget gate’s bias at 1, so the cell remembers by default early in training.' },
    explainShape: (p, [s], [o]) =>
      p.returnSequences
        ? `returnSequences on: one vector of units = ${p.units} per time step (${s[1] ?? '?'} steps): ${fmtShape(o)}`
        : `returnSequences off: only the last step's state, units = ${p.units}: ${fmtShape(s)} -> ${fmtShape(o)}`,
  },
);
