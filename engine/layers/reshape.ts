/** Reshape: gives each sample a new shape with the same number of elements. */
import { z } from 'zod';
import { ShapeError } from '../graph/errors.js';
import { expectInputs, featureSize, fmtShape, prod } from './common.js';
import { productText } from './explain.js';
import type { LayerDef } from './types.js';

const params = z.object({
  /** Per-sample target shape (batch excluded); one entry may be -1 (inferred). */
  targetShape: z
    .array(
      z
        .number()
        .int()
        .refine((d) => d === -1 || d > 0, { message: 'each dimension must be positive or -1' }),
    )
    .min(1)
    .refine((s) => s.filter((d) => d === -1).length <= 1, { message: 'at most one dimension may be -1' }),
});

/** The Reshape layer kind. */
export const Reshape: LayerDef<z.output<typeof params>> = {
  kind: 'Reshape',
  category: 'reshape',
  label: 'Reshape',
  doc: 'Reshapes each sample to targetShape (batch excluded; one -1 is inferred).',
  paramDocs: { targetShape: 'Per-sample shape to produce (batch excluded); one -1 is computed so the element count stays the same.' },
  explainShape: (p, [s], [o]) =>
    `targetShape [${p.targetShape.join(', ')}]${p.targetShape.includes(-1) ? ' with -1 computed' : ''}: ${productText(s)} elements per sample, the same in ${fmtShape(o)}`,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p, inputs) => {
    expectInputs('Reshape', inputs, 1);
    const [s] = inputs;
    const target = p.targetShape;
    const known = prod(target.filter((d) => d !== -1));
    const hole = target.indexOf(-1);
    const n = featureSize(s);
    if (n === null) {
      // Unknown input size (e.g. variable time): only a -1 can absorb it, and it stays unknown.
      if (hole < 0) {
        throw new ShapeError(
          `Reshape cannot check element counts of ${fmtShape(s)} (unknown dimension) against [${target.join(',')}]: use -1 for the variable dimension`,
        );
      }
      return [[s[0], ...target.map((d) => (d === -1 ? null : d))]];
    }
    if (hole >= 0) {
      if (n % known !== 0) {
        throw new ShapeError(
          `Reshape cannot fit ${n} elements per sample (input ${fmtShape(s)}) into [${target.join(',')}]: ${n} is not divisible by ${known}`,
        );
      }
      return [[s[0], ...target.map((d) => (d === -1 ? n / known : d))]];
    }
    if (known !== n) {
      throw new ShapeError(
        `Reshape expects ${known} elements per sample for [${target.join(',')}], but input ${fmtShape(s)} has ${n}: the element counts must match`,
      );
    }
    return [[s[0], ...target]];
  },
  cost: () => ({ params: 0, flops: 0 }),
  // We resolve -1 ourselves when the input size is known: tf.js's Reshape.computeOutputShape
  // counts the batch as an unknown dimension and so leaves -1 as null on the symbolic tensor,
  // which would break a following Dense. tf.js takes null for a dimension it must infer.
  toTfjs: (tf, p, name, inputs) => {
    const target = inputs.length === 1 ? Reshape.inferShape(p, inputs)[0].slice(1) : p.targetShape.map((d) => (d === -1 ? null : d));
    return tf.layers.reshape({ name, targetShape: target as number[] });
  },
  toOnnx: (ctx, p, [x], _w, name) => {
    // Reshape reads elements in tf.js (channels-last) order, so a channels-first value is
    // transposed back first. The batch is copied (0) and the one unknown dimension, if any,
    // is left to ONNX (-1); known sizes are written out so shape inference sees them.
    const v = ctx.asLayout(x, 'last');
    const [shape] = Reshape.inferShape(p, [x.shape]);
    const target = ctx.int64s(`${name}_shape`, [0, ...shape.slice(1).map((d) => d ?? -1)]);
    return [{ name: ctx.node('Reshape', [v.name, target])[0], shape, layout: 'last' }];
  },
  examples: [
    { params: { targetShape: [4, 3] }, inputs: [[null, 12]] },
    { params: { targetShape: [-1, 2] }, inputs: [[null, 3, 4]] },
    { params: { targetShape: [6, 6, 1] }, inputs: [[null, 36]] },
    // Unknown time axis: -1 stays unknown and is fixed by tf.js at run time.
    { params: { targetShape: [-1, 2] }, inputs: [[null, null, 4]] },
  ],
};
