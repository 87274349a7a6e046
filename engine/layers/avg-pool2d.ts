/** AvgPool2D: average over sliding windows of NHWC images. */
import { z } from 'zod';
import { expectInputs, expectRank, pair, paddingSchema, size2Schema, window2D } from './common.js';
import { emitPool } from '../onnx/ops-spatial.js';
import { window2dText } from './explain.js';
import type { LayerDef } from './types.js';

const params = z.object({
  poolSize: size2Schema.default(2),
  /** Step between windows; defaults to `poolSize` (non-overlapping windows). */
  strides: size2Schema.optional(),
  padding: paddingSchema.default('valid'),
});

/** The AvgPool2D layer kind. */
export const AvgPool2D: LayerDef<z.output<typeof params>> = {
  kind: 'AvgPool2D',
  category: 'pooling',
  label: 'AvgPool2D',
  doc: 'Average pooling over [batch, height, width, channels] images.',
  paramDocs: { strides: 'Step between windows; unset = poolSize (windows that do not overlap).' },
  explainShape: (p, [s], [o]) => `${window2dText(s, o, p.poolSize, p.strides ?? p.poolSize, p.padding, 1, 'window')}; channels unchanged (${o[3]})`,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p, inputs) => {
    expectInputs('AvgPool2D', inputs, 1);
    const [s] = inputs;
    expectRank('AvgPool2D', s, [4], 'AvgPool2D takes [batch, height, width, channels]; use AvgPool1D for sequences');
    const [h, w] = window2D('AvgPool2D', s, pair(p.poolSize), pair(p.strides ?? p.poolSize), p.padding);
    return [[s[0], h, w, s[3]]];
  },
  cost: (p, inputs) => {
    const [out] = AvgPool2D.inferShape(p, inputs);
    const [ph, pw] = pair(p.poolSize);
    // One addition per window element per output element (the division is negligible).
    return { params: 0, flops: ph * pw * (out[1] ?? 1) * (out[2] ?? 1) * (out[3] ?? 1) };
  },
  toTfjs: (tf, p, name) =>
    tf.layers.averagePooling2d({ name, poolSize: pair(p.poolSize), strides: pair(p.strides ?? p.poolSize), padding: p.padding }),
  toOnnx: (ctx, p, [x]) => {
    const [shape] = AvgPool2D.inferShape(p, [x.shape]);
    return [emitPool(ctx, 'AveragePool', x, pair(p.poolSize), pair(p.strides ?? p.poolSize), p.padding, shape)];
  },
  channelwise: 'same',
  examples: [
    { params: {}, inputs: [[null, 8, 8, 3]] },
    { params: { poolSize: [3, 2], strides: 1, padding: 'same' }, inputs: [[null, 5, 6, 2]] },
    { params: { poolSize: 3, strides: [2, 1] }, inputs: [[null, 7, 5, 1]] },
  ],
};
