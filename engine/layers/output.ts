/**
 * Output: marks its input as a model output and declares the loss and metrics training
 * uses for it. Adds no layer to the compiled model.
 */
import { z } from 'zod';
import { expectInputs } from './common.js';
import { sameAsInput } from './explain.js';
import type { LayerDef } from './types.js';

/** Losses the training loop implements. */
export const lossNames = [
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'binaryCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
  'huber',
] as const;

/** Metrics the training loop reports. */
export const metricNames = ['accuracy', 'precision', 'recall', 'f1', 'auc', 'mse', 'mae'] as const;

const params = z.object({
  loss: z.enum(lossNames).default('sparseCategoricalCrossentropy'),
  metrics: z.array(z.enum(metricNames)).default(['accuracy']),
  /** Whether the input is already a probability (softmax/sigmoid) or raw logits. */
  fromLogits: z.boolean().default(false),
});

/** The Output layer kind. */
export const Output: LayerDef<z.output<typeof params>> = {
  kind: 'Output',
  category: 'io',
  label: 'Output',
  doc: 'A model output with its loss and metrics.',
  paramDocs: {
    loss: 'What training minimizes, comparing this output with the labels.',
    metrics: 'Figures reported each epoch (validation ones too).',
    fromLogits: 'On: the input is raw scores and the loss applies softmax / sigmoid itself; off: it is already a probability.',
  },
  explainShape: (_p, [s]) => sameAsInput(s, 'an Output only marks where predictions meet the labels'),
  inputs: [{ name: 'in' }],
  outputs: [],
  params,
  inferShape: (_p, inputs) => {
    expectInputs('Output', inputs, 1);
    return [inputs[0]];
  },
  cost: () => ({ params: 0, flops: 0 }),
  toTfjs: () => null,
  examples: [{ params: {}, inputs: [[null, 10]] }],
};
