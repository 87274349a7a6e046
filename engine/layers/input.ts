/** Input: declares one model input; its shape excludes the batch dimension. */
import { z } from 'zod';
import type { LayerDef } from './types.js';

const params = z.object({
  /** Per-sample shape, e.g. `[28, 28, 1]`; `null` for a variable time axis. */
  shape: z.array(z.number().int().positive().nullable()).min(1),
  /** Element type: float features or integer token ids (for Embedding). */
  dtype: z.enum(['float32', 'int32']).default('float32'),
});

/** The Input layer kind. */
export const Input: LayerDef<z.output<typeof params>> = {
  kind: 'Input',
  category: 'io',
  label: 'Input',
  doc: 'A model input; shape excludes the batch dimension.',
  paramDocs: {
    shape: 'Shape of one sample, batch excluded (e.g. 28, 28, 1 for a grey 28×28 image); null for a variable time axis.',
    dtype: 'float32 for features; int32 for token ids that feed an Embedding.',
  },
  explainShape: (p) => `the shape param [${p.shape.join(', ')}] with the batch first (null: any batch size)`,
  inputs: [],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p) => [[null, ...p.shape]],
  cost: () => ({ params: 0, flops: 0 }),
  toTfjs: () => null,
  examples: [{ params: { shape: [4] }, inputs: [] }],
};
