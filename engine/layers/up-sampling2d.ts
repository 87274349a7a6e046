/** UpSampling2D: repeats (nearest) or interpolates (bilinear) pixels to enlarge NHWC images. */
import { z } from 'zod';
import { expectInputs, expectRank, pair, size2Schema } from './common.js';
import { attr } from '../onnx/values.js';
import type { LayerDef } from './types.js';

const params = z.object({
  /** Upsampling factor, one number or [h, w]. */
  size: size2Schema.default(2),
  interpolation: z.enum(['nearest', 'bilinear']).default('nearest'),
});

/** The UpSampling2D layer kind. */
export const UpSampling2D: LayerDef<z.output<typeof params>> = {
  kind: 'UpSampling2D',
  category: 'reshape',
  label: 'UpSampling2D',
  doc: 'Enlarges images by an integer factor: [b, h, w, c] -> [b, h·sh, w·sw, c].',
  paramDocs: { size: 'Factor by which height and width grow (one number, or [h, w]).', interpolation: 'nearest copies pixels; bilinear blends neighbours.' },
  explainShape: (p, [s], [o]) => {
    const [sh, sw] = pair(p.size);
    return `height ${o[1] ?? '?'} = ${s[1] ?? '?'} × ${sh}, width ${o[2] ?? '?'} = ${s[2] ?? '?'} × ${sw}; channels unchanged (${o[3]})`;
  },
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p, inputs) => {
    expectInputs('UpSampling2D', inputs, 1);
    const [s] = inputs;
    expectRank('UpSampling2D', s, [4], 'UpSampling2D takes [batch, height, width, channels]');
    const [sh, sw] = pair(p.size);
    return [[s[0], s[1] === null ? null : s[1] * sh, s[2] === null ? null : s[2] * sw, s[3]]];
  },
  cost: (p, inputs) => {
    const [out] = UpSampling2D.inferShape(p, inputs);
    const n = (out[1] ?? 1) * (out[2] ?? 1) * (out[3] ?? 1);
    // Nearest copies; bilinear blends 4 neighbours (≈ 4 multiply-adds) per output element.
    return { params: 0, flops: p.interpolation === 'bilinear' ? 8 * n : 0 };
  },
  toTfjs: (tf, p, name) => tf.layers.upSampling2d({ name, size: pair(p.size), interpolation: p.interpolation }),
  toOnnx: (ctx, p, [x], _w, name) => {
    // Nearest keeps the layout it gets (Resize scales each physical axis); bilinear goes
    // channels-first, the 4-D layout every runtime's linear Resize supports.
    const v = p.interpolation === 'bilinear' ? ctx.asLayout(x, 'first') : x;
    const [sh, sw] = pair(p.size);
    const scales = v.layout === 'first' ? [1, 1, sh, sw] : [1, sh, sw, 1];
    // tf.js resizes with alignCorners = halfPixelCenters = false: source = dst·in/out, i.e.
    // ONNX 'asymmetric'; nearest takes floor(source) (not ONNX's default round_prefer_floor).
    // Resize's (X, roi, scales) inputs hold from opset 13 to 21; roi may be left empty.
    const [out] = ctx.node('Resize', [v.name, '', ctx.floats(`${name}_scales`, scales)], {
      mode: attr.s(p.interpolation === 'bilinear' ? 'linear' : 'nearest'),
      coordinate_transformation_mode: attr.s('asymmetric'),
      ...(p.interpolation === 'nearest' ? { nearest_mode: attr.s('floor') } : {}),
    });
    return [{ name: out, shape: UpSampling2D.inferShape(p, [x.shape])[0], layout: v.layout }];
  },
  channelwise: 'same',
  examples: [
    { params: {}, inputs: [[null, 3, 4, 2]] },
    { params: { size: [2, 3], interpolation: 'bilinear' }, inputs: [[null, 3, 3, 1]] },
  ],
};
