/** SimpleRNN: fully connected recurrent layer, h_t = activation(x_t·W + h_{t-1}·U + b). */
import { z } from 'zod';
import { rnnFields } from './common.js';
import { recurrentKind } from './recurrent-family.js';
import { fmtShape } from './common.js';
import { extendKind } from './common.js';

const params = z.object({ ...rnnFields });

/** The SimpleRNN layer kind. */
export const SimpleRNN = extendKind(
  recurrentKind({
    kind: 'SimpleRNN',
    doc: 'Elman recurrent layer over [batch, time, features].',
    gates: 1,
    params,
    build: (tf, _p, shared) => tf.layers.simpleRNN(shared),
    examples: [
      { params: { units: 4 }, inputs: [[null, 5, 3]] },
      { params: { units: 3, returnSequences: true, activation: 'relu', l2: 0.01 }, inputs: [[null, 4, 2]] },
      { params: { units: 2, goBackwards: true, dropout: 0.1, recurrentDropout: 0.1, useBias: false }, inputs: [[null, null, 3]] },
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
