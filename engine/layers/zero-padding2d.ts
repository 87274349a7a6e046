/** ZeroPadding2D: adds rows and columns of zeros around NHWC images. */
import { z } from 'zod';
import { expectInputs, expectRank } from './common.js';
import { attr } from '../onnx/values.js';
import type { LayerDef } from './types.js';

const nonneg = z.number().int().nonnegative();

const params = z.object({
  /** `n` (all sides), `[h, w]` (symmetric) or `[[top, bottom], [left, right]]`. */
  padding: z.union([nonneg, z.tuple([nonneg, nonneg]), z.tuple([z.tuple([nonneg, nonneg]), z.tuple([nonneg, nonneg])])]).default(1),
});

type Padding = z.output<typeof params>['padding'];

/** Normalizes the padding param to `[[top, bottom], [left, right]]`. */
function sides(p: Padding): [[number, number], [number, number]] {
  if (typeof p === 'number')
    return [
      [p, p],
      [p, p],
    ];
  if (typeof p[0] === 'number') {
    const [h, w] = p as [number, number];
    return [
      [h, h],
      [w, w],
    ];
  }
  return p as [[number, number], [number, number]];
}

/** The ZeroPadding2D layer kind. */
export const ZeroPadding2D: LayerDef<z.output<typeof params>> = {
  kind: 'ZeroPadding2D',
  category: 'reshape',
  label: 'ZeroPadding2D',
  doc: 'Pads images with zeros: n, [h, w] or [[top, bottom], [left, right]].',
  paramDocs: { padding: 'Zero rows / columns added: n (every side), [h, w] (top and bottom, left and right) or [[top, bottom], [left, right]].' },
  explainShape: (p, [s], [o]) => {
    const [[t, b], [l, r]] = sides(p.padding);
    return `height ${o[1] ?? '?'} = ${s[1] ?? '?'} + ${t} + ${b}, width ${o[2] ?? '?'} = ${s[2] ?? '?'} + ${l} + ${r}; channels unchanged (${o[3]})`;
  },
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p, inputs) => {
    expectInputs('ZeroPadding2D', inputs, 1);
    const [s] = inputs;
    expectRank('ZeroPadding2D', s, [4], 'ZeroPadding2D takes [batch, height, width, channels]');
    const [[t, b], [l, r]] = sides(p.padding);
    return [[s[0], s[1] === null ? null : s[1] + t + b, s[2] === null ? null : s[2] + l + r, s[3]]];
  },
  cost: () => ({ params: 0, flops: 0 }),
  toTfjs: (tf, p, name) => tf.layers.zeroPadding2d({ name, padding: sides(p.padding) }),
  toOnnx: (ctx, p, [x], _w, name) => {
    // Pads per physical axis, so it keeps whatever layout it gets (no Transpose between
    // convs). Pad's (data, pads) inputs are the same from opset 11 to 21 (18 only added an
    // optional axes input), and constant mode with no value pads zeros.
    const [[t, b], [l, r]] = sides(p.padding);
    const pads = x.layout === 'first' ? [0, 0, t, l, 0, 0, b, r] : [0, t, l, 0, 0, b, r, 0];
    const [out] = ctx.node('Pad', [x.name, ctx.int64s(`${name}_pads`, pads)], { mode: attr.s('constant') });
    return [{ name: out, shape: ZeroPadding2D.inferShape(p, [x.shape])[0], layout: x.layout }];
  },
  channelwise: 'same',
  examples: [
    { params: {}, inputs: [[null, 3, 3, 2]] },
    { params: { padding: [2, 1] }, inputs: [[null, 4, 3, 1]] },
    {
      params: {
        padding: [
          [1, 0],
          [0, 2],
        ],
      },
      inputs: [[null, 3, 5, 2]],
    },
  ],
};
