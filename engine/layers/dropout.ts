/** Dropout: zeroes a random fraction of activations during training; identity at inference. */
import { z } from 'zod';
import { expectInputs, rateSchema } from './common.js';
import { physicalShape } from '../onnx/values.js';
import { sameAsInput } from './explain.js';
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
  paramDocs: {
    rate: 'Fraction of activations set to zero while training (the rest are scaled up by 1 / (1 − rate)); nothing is dropped at inference.',
    seed: 'Seed of the dropout masks; unset: drawn from the run’s seed.',
  },
  explainShape: (p, [s]) => sameAsInput(s, `dropout zeroes values (rate ${p.rate}) without removing any`),
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
  // Inference: the identity, keeping whatever layout the value had. Training: multiply by a
  // mask of 0 and 1/(1-rate) that the runner draws from the run's seeded Rng each step.
  toOnnx: (ctx, p, [x], _w, name) => {
    if (!ctx.training || p.rate === 0) return [{ ...x, name: ctx.node('Identity', [x.name])[0] }];
    const mask = ctx.mask(`${name}_mask`, physicalShape(x), p.rate);
    return [{ ...x, name: ctx.node('Mul', [x.name, mask])[0] }];
  },
  channelwise: 'same',
  examples: [
    { params: {}, inputs: [[null, 6]] },
    { params: { rate: 0.2, seed: 7 }, inputs: [[null, 4, 4, 2]] },
  ],
};
