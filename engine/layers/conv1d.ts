/** Conv1D: 1-D convolution over [batch, steps, channels] sequences. Built by conv-family.ts. */
import { conv1DKind } from './conv-family.js';
import { windowAxis } from './explain.js';
import { extendKind } from './common.js';

/** The Conv1D layer kind. */
export const Conv1D = extendKind(
  conv1DKind([
    { params: { filters: 4 }, inputs: [[null, 10, 3]] },
    { params: { filters: 2, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu', l2: 0.01 }, inputs: [[null, 9, 2]] },
    { params: { filters: 3, kernelSize: 2, dilation: 2, useBias: false }, inputs: [[null, 8, 1]] },
    // Unknown sequence length: the output length is unknown too.
    { params: { filters: 2, padding: 'same' }, inputs: [[null, null, 3]] },
  ]),
  {
    paramDocs: { kernelSize: 'Length of the sliding window along the steps.' },
    explainShape: (p, [s], [o]) =>
      `steps: ${windowAxis(s[1], p.kernelSize, p.strides, p.padding, o[1], p.dilation)} (kernel ${p.kernelSize}, stride ${p.strides}, ${p.padding} padding); ${o[2]} channels = filters`,
  },
);
