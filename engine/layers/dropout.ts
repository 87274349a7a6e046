/** Dropout: zeroes a random fraction of activations during training; identity at inference. */
import { z } from 'zod';
import { expectInputs, rateSchema } from './common.js';
import type { LayerDef } from './types.js';

const params = z.object({
  /** Fraction of units dropped during training, in [0, 1). */
  rate: rateSchema.default(0.5),
  /** Integer seed for the dropout mask; omitted = random each run. */
  seed: z.number().int().optional(),
});

/** The Dropout layer kind. */
export const Dropout: LayerDef<z.output<typeof params>> = {
  kind: 'Dropout',
  category: 'regularization',
  label: 'Dropout',
  doc: 'Randomly zeroes a fraction `rate` of activations while training.',
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (_p, inputs) => {
    expectInputs('Dropout', inputs, 1);
    return [inputs[0]];
  },
  // Identity at inference, so no forward FLOPs are counted.
  cost: () => ({ params: 0, flops: 0 }),
  toTfjs: (tf, p, name) => tf.layers.dropout({ name, rate: p.rate, seed: p.seed }),
  // Inference export: dropout is the identity, and the value keeps whatever layout it had.
  toOnnx: (ctx, _p, [x]) => [{ ...x, name: ctx.node('Identity', [x.name])[0] }],
  examples: [
    { params: {}, inputs: [[null, 6]] },
    { params: { rate: 0.2, seed: 7 }, inputs: [[null, 4, 4, 2]] },
  ],
};
