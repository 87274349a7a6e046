/** Conv1D: 1-D convolution over [batch, steps, channels] sequences. Built by conv-family.ts. */
import { conv1DKind } from './conv-family.js';

/** The Conv1D layer kind. */
export const Conv1D = conv1DKind([
  { params: { filters: 4 }, inputs: [[null, 10, 3]] },
  { params: { filters: 2, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu', l2: 0.01 }, inputs: [[null, 9, 2]] },
  { params: { filters: 3, kernelSize: 2, dilation: 2, useBias: false }, inputs: [[null, 8, 1]] },
  // Unknown sequence length: the output length is unknown too.
  { params: { filters: 2, padding: 'same' }, inputs: [[null, null, 3]] },
]);
