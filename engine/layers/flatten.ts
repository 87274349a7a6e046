/** Flatten: collapses every non-batch dimension into one, e.g. before Dense. */
import { z } from 'zod';
import { expectInputs, expectKnown, expectMinRank, featureSize } from './common.js';
import { attr } from '../onnx/values.js';
import { productText } from './explain.js';
import type { LayerDef } from './types.js';

const params = z.object({});

/** The Flatten layer kind. */
export const Flatten: LayerDef<z.output<typeof params>> = {
  kind: 'Flatten',
  category: 'reshape',
  label: 'Flatten',
  doc: 'Collapses all non-batch dimensions: [batch, a, b, c] -> [batch, a·b·c].',
  paramDocs: {},
  explainShape: (_p, [s]) => `all axes but the batch multiplied: ${productText(s)}`,
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
  toOnnx: (ctx, _p, [x]) => {
    // Flatten in channels-last order, as tf.js does: a following Dense's kernel rows are in
    // NHWC order, so flattening a channels-first value would scramble them.
    const v = ctx.asLayout(x, 'last');
    const [shape] = Flatten.inferShape({}, [x.shape]);
    return [{ name: ctx.node('Flatten', [v.name], { axis: attr.i(1) })[0], shape, layout: 'last' }];
  },
  examples: [
    { params: {}, inputs: [[null, 4, 4, 2]] },
    { params: {}, inputs: [[null, 3, 5]] },
  ],
};
