/** Conv2D: 2-D convolution over NHWC images. Built by conv-family.ts. */
import { conv2DKind } from './conv-family.js';

/** The Conv2D layer kind. */
export const Conv2D = conv2DKind([
  { params: { filters: 4 }, inputs: [[null, 8, 8, 2]] },
  { params: { filters: 3, kernelSize: [3, 5], strides: 2, padding: 'same', activation: 'relu' }, inputs: [[null, 9, 7, 3]] },
  { params: { filters: 2, kernelSize: 1, dilation: 2, l1: 0.001 }, inputs: [[null, 6, 6, 1]] },
]);
