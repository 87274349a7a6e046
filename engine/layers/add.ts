/** Add: elementwise sum of two or more tensors of equal shape (residual connections). */
import { z } from 'zod';
import { elementsPerSample, mergeEqualShapes } from './common.js';
import { emitElementwise } from '../onnx/ops-misc.js';
import { fmtShape } from './common.js';
import type { LayerDef } from './types.js';

const params = z.object({});

/** The Add layer kind. */
export const Add: LayerDef<z.output<typeof params>> = {
  kind: 'Add',
  category: 'merge',
  label: 'Add',
  doc: 'Elementwise sum of two or more inputs of equal shape.',
  paramDocs: {},
  explainShape: (_p, inputs, [o]) => `${inputs.length} inputs of shape ${fmtShape(o)} summed elementwise: the shape is theirs`,
  inputs: [{ name: 'in', multi: true, min: 2 }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (_p, inputs) => [mergeEqualShapes('Add', inputs)],
  cost: (_p, inputs) => ({ params: 0, flops: (inputs.length - 1) * elementsPerSample(inputs[0]) }),
  toTfjs: (tf, _p, name) => tf.layers.add({ name }),
  toOnnx: (ctx, _p, inputs) => [
    emitElementwise(
      ctx,
      'Add',
      inputs,
      mergeEqualShapes(
        'Add',
        inputs.map((v) => v.shape),
      ),
    ),
  ],
  collapsesWithOneInput: true,
  examples: [
    {
      params: {},
      inputs: [
        [null, 4],
        [null, 4],
      ],
    },
    {
      params: {},
      inputs: [
        [null, 3, 3, 2],
        [null, 3, 3, 2],
        [null, 3, 3, 2],
      ],
    },
  ],
};
