/**
 * GlobalMaxPool: takes the maximum over every position, leaving one vector per sample. Works on
 * sequences (rank 3, 1-D pooling over steps) and images (rank 4, 2-D pooling over H×W).
 */
import { z } from 'zod';
import { elementsPerSample, expectInputs, expectRank } from './common.js';
import { emitGlobalPool } from '../onnx/ops-spatial.js';
import { fmtShape } from './common.js';
import type { LayerDef } from './types.js';

const params = z.object({});

/** The GlobalMaxPool layer kind. */
export const GlobalMaxPool: LayerDef<z.output<typeof params>> = {
  kind: 'GlobalMaxPool',
  category: 'pooling',
  label: 'Global Max Pool',
  doc: 'Maximum over all steps (rank 3) or all pixels (rank 4): [batch, channels].',
  paramDocs: {},
  explainShape: (_p, [s], [o]) => `one maximum per channel over all ${s.length === 3 ? 'steps' : 'pixels'}: ${fmtShape(s)} -> ${fmtShape(o)}`,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (_p, inputs) => {
    expectInputs('GlobalMaxPool', inputs, 1);
    const [s] = inputs;
    expectRank('GlobalMaxPool', s, [3, 4], 'it takes [batch, steps, channels] or [batch, height, width, channels]');
    return [[s[0], s.at(-1) as number | null]];
  },
  cost: (_p, [s]) => ({ params: 0, flops: elementsPerSample(s) }),
  // The rank picks the tf.js layer, so one node serves sequences and images alike.
  toTfjs: (tf, _p, name, [s]) =>
    s.length === 3 ? tf.layers.globalMaxPooling1d({ name }) : tf.layers.globalMaxPooling2d({ name, dataFormat: 'channelsLast' }),
  // A ReduceMax over the physical spatial axes: no re-layout needed whichever layout arrives.
  toOnnx: (ctx, _p, [x]) => [emitGlobalPool(ctx, 'ReduceMax', x)],
  channelwise: 'same',
  examples: [
    { params: {}, inputs: [[null, 5, 3]] },
    { params: {}, inputs: [[null, 4, 6, 2]] },
  ],
};
