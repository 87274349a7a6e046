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
import { recurrentActivationSchema, rnnFields } from './common.js';
import { recurrentKind } from './recurrent-family.js';
import { fmtShape } from './common.js';
import { extendKind } from './common.js';

const params = z.object({
  ...rnnFields,
  /** Gate activation; sigmoid (Keras default) rather than tf.js's hardSigmoid default. */
  recurrentActivation: recurrentActivationSchema.default('sigmoid'),
});

/** The GRU layer kind. */
export const GRU = extendKind(
  recurrentKind({
    kind: 'GRU',
    doc: 'Gated recurrent unit layer over [batch, time, features] (reset_after = false).',
    gates: 3,
    params,
    build: (tf, p, shared) => tf.layers.gru({ ...shared, recurrentActivation: p.recurrentActivation }),
    examples: [
      { params: { units: 4 }, inputs: [[null, 5, 3]] },
      { params: { units: 3, returnSequences: true, recurrentActivation: 'hardSigmoid', l2: 0.01 }, inputs: [[null, 4, 2]] },
      { params: { units: 2, goBackwards: true, dropout: 0.2, recurrentDropout: 0.1, useBias: false, activation: 'relu' }, inputs: [[null, null, 3]] },
    ],
  }),
  {
    paramDocs: {},
    explainShape: (p, [s], [o]) =>
      p.returnSequences
        ? `returnSequences on: one vector of units = ${p.units} per time step (${s[1] ?? '?'} steps): ${fmtShape(o)}`
        : `returnSequences off: only the last step's state, units = ${p.units}: ${fmtShape(s)} -> ${fmtShape(o)}`,
  },
);
