/** Multiply: elementwise product of two or more tensors of equal shape (gating, attention masks). */
import { z } from 'zod';
import { elementsPerSample, mergeEqualShapes } from './common.js';
import { emitElementwise } from '../onnx/ops-misc.js';
import { fmtShape } from './common.js';
import type { LayerDef } from './types.js';

const params = z.object({});

/** The Multiply layer kind. */
export const Multiply: LayerDef<z.output<typeof params>> = {
  kind: 'Multiply',
  category: 'merge',
  label: 'Multiply',
  doc: 'Elementwise product of two or more inputs of equal shape.',
  paramDocs: {},
  explainShape: (_p, inputs, [o]) => `${inputs.length} inputs of shape ${fmtShape(o)} multiplied elementwise: the shape is theirs`,
  inputs: [{ name: 'in', multi: true, min: 2 }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (_p, inputs) => [mergeEqualShapes('Multiply', inputs)],
  cost: (_p, inputs) => ({ params: 0, flops: (inputs.length - 1) * elementsPerSample(inputs[0]) }),
  toTfjs: (tf, _p, name) => tf.layers.multiply({ name }),
  toOnnx: (ctx, _p, inputs) => [
    emitElementwise(
      ctx,
      'Mul',
      inputs,
      mergeEqualShapes(
        'Multiply',
        inputs.map((v) => v.shape),
      ),
    ),
  ],
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
