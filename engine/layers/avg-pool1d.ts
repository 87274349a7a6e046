/** AvgPool1D: average over sliding windows along the steps axis of [batch, steps, channels]. */
import { z } from 'zod';
import { expectInputs, expectPositive, expectRank, paddingSchema, posInt, windowOutput } from './common.js';
import { emitPool } from '../onnx/ops-spatial.js';
import { windowAxis } from './explain.js';
import type { LayerDef } from './types.js';

const params = z.object({
  poolSize: posInt.default(2),
  /** Step between windows; defaults to `poolSize` (non-overlapping windows). */
  strides: posInt.optional(),
  padding: paddingSchema.default('valid'),
});

/** The AvgPool1D layer kind. */
export const AvgPool1D: LayerDef<z.output<typeof params>> = {
  kind: 'AvgPool1D',
  category: 'pooling',
  label: 'AvgPool1D',
  doc: 'Average pooling over the steps of [batch, steps, channels] sequences.',
  paramDocs: { poolSize: 'Length of the pooling window along the steps.', strides: 'Step between windows; unset = poolSize (windows that do not overlap).' },
  explainShape: (p, [s], [o]) => {
    const stride = p.strides ?? p.poolSize;
    return `steps: ${windowAxis(s[1], p.poolSize, stride, p.padding, o[1])} (window ${p.poolSize}, stride ${stride}, ${p.padding} padding); channels unchanged (${o[2]})`;
  },
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p, inputs) => {
    expectInputs('AvgPool1D', inputs, 1);
    const [s] = inputs;
    expectRank('AvgPool1D', s, [3], 'AvgPool1D takes [batch, steps, channels]; use AvgPool2D for images');
    const steps = windowOutput(s[1], p.poolSize, p.strides ?? p.poolSize, p.padding);
    expectPositive('AvgPool1D', steps, s, `pool ${p.poolSize}`);
    return [[s[0], steps, s[2]]];
  },
  cost: (p, inputs) => {
    const [out] = AvgPool1D.inferShape(p, inputs);
    // One addition per window element per output element (the division is negligible).
    return { params: 0, flops: p.poolSize * (out[1] ?? 1) * (out[2] ?? 1) };
  },
  toTfjs: (tf, p, name) =>
    tf.layers.averagePooling1d({ name, poolSize: p.poolSize, strides: p.strides ?? p.poolSize, padding: p.padding }),
  // ONNX 1-D AveragePool on channels-first [N, C, W].
  toOnnx: (ctx, p, [x]) => {
    const [shape] = AvgPool1D.inferShape(p, [x.shape]);
    return [emitPool(ctx, 'AveragePool', x, [p.poolSize], [p.strides ?? p.poolSize], p.padding, shape)];
  },
  channelwise: 'same',
  examples: [
    { params: {}, inputs: [[null, 8, 3]] },
    { params: { poolSize: 3, strides: 1, padding: 'same' }, inputs: [[null, 7, 2]] },
    { params: { poolSize: 3, strides: 2 }, inputs: [[null, 9, 2]] },
  ],
};
