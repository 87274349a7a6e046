/** Concatenate: joins two or more tensors along one axis; the others must agree. */
import { z } from 'zod';
import { ShapeError } from '../graph/errors.js';
import { expectAtLeast, fmtShape, resolveAxis } from './common.js';
import { commonLayout, physicalAxis } from '../onnx/ops-misc.js';
import { attr } from '../onnx/values.js';
import type { LayerDef, Shape } from './types.js';

const params = z.object({
  /** Axis to join along (negative counts from the end); -1 = channels/features. */
  axis: z.number().int().default(-1),
});

/** The Concatenate layer kind. */
export const Concatenate: LayerDef<z.output<typeof params>> = {
  kind: 'Concatenate',
  category: 'merge',
  label: 'Concatenate',
  doc: 'Joins two or more inputs along an axis (default the last).',
  paramDocs: {},
  explainShape: (p, inputs, [o]) => {
    const a = p.axis < 0 ? o.length + p.axis : p.axis;
    const parts = inputs.map((s) => (s[a] === null ? '?' : String(s[a])));
    return `axis ${p.axis} sizes add up: ${parts.join(' + ')} = ${o[a] ?? '?'}; the other axes agree (${fmtShape(o)})`;
  },
  inputs: [{ name: 'in', multi: true, min: 2 }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p, inputs) => {
    expectAtLeast('Concatenate', inputs, 2, 'connect two or more edges to Concatenate');
    const first = inputs[0];
    const a = resolveAxis('Concatenate', p.axis, first);
    const out: Shape = [...first];
    for (let i = 1; i < inputs.length; i++) {
      const s = inputs[i];
      const bad = s.length !== first.length || s.some((d, j) => j !== a && j !== 0 && d !== null && out[j] !== null && d !== out[j]);
      if (bad) {
        throw new ShapeError(
          `Concatenate on axis ${p.axis} expects inputs that agree on every other axis, got ${fmtShape(first)} (input 1) and ${fmtShape(s)} (input ${i + 1})`,
        );
      }
      s.forEach((d, j) => {
        if (j !== a && out[j] === null) out[j] = d;
      });
      out[a] = out[a] === null || s[a] === null ? null : (out[a] as number) + (s[a] as number);
    }
    return [out];
  },
  cost: () => ({ params: 0, flops: 0 }),
  toTfjs: (tf, p, name) => tf.layers.concatenate({ name, axis: p.axis }),
  toOnnx: (ctx, p, inputs) => {
    // The axis is in tf.js terms: map it to where it sits physically in the common layout
    // (the channel axis -1 is axis 1 channels-first), or the join would land on a wrong axis.
    const layout = commonLayout(inputs);
    const vs = inputs.map((v) => ctx.asLayout(v, layout));
    const [shape] = Concatenate.inferShape(
      p,
      inputs.map((v) => v.shape),
    );
    const axis = physicalAxis(vs[0], resolveAxis('Concatenate', p.axis, shape));
    const [out] = ctx.node(
      'Concat',
      vs.map((v) => v.name),
      { axis: attr.i(axis) },
    );
    return [{ name: out, shape, layout: vs[0].layout }];
  },
  collapsesWithOneInput: true,
  examples: [
    {
      params: {},
      inputs: [
        [null, 4],
        [null, 3],
      ],
    },
    {
      params: {},
      inputs: [
        [null, 3, 3, 2],
        [null, 3, 3, 5],
        [null, 3, 3, 1],
      ],
    },
    {
      params: { axis: 1 },
      inputs: [
        [null, 2, 4],
        [null, 5, 4],
      ],
    },
  ],
};
