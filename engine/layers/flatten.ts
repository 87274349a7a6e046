/** Flatten: collapses every non-batch dimension into one, e.g. before Dense. */
import { z } from 'zod';
import { expectInputs, expectKnown, expectMinRank, featureSize } from './common.js';
import type { LayerDef } from './types.js';

const params = z.object({});

/** The Flatten layer kind. */
export const Flatten: LayerDef<z.output<typeof params>> = {
  kind: 'Flatten',
  category: 'reshape',
  label: 'Flatten',
  doc: 'Collapses all non-batch dimensions: [batch, a, b, c] -> [batch, a·b·c].',
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (_p, inputs) => {
    expectInputs('Flatten', inputs, 1);
    const [s] = inputs;
    // tf.js Flatten requires rank ≥ 3 (its input spec), so an already-flat input is an error.
    expectMinRank('Flatten', s, 3, s.length === 2 ? 'the input is already flat; remove Flatten' : undefined);
    expectKnown('Flatten', s, s.map((_, i) => i).slice(1));
    return [[s[0], featureSize(s)]];
  },
  cost: () => ({ params: 0, flops: 0 }),
  toTfjs: (tf, _p, name) => tf.layers.flatten({ name }),
  examples: [
    { params: {}, inputs: [[null, 4, 4, 2]] },
    { params: {}, inputs: [[null, 3, 5]] },
  ],
};
