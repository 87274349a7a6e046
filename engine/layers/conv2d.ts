/** Conv2D: 2-D convolution over NHWC images. Built by conv-family.ts. */
import { conv2DKind } from './conv-family.js';
import type * as tfNs from '@tensorflow/tfjs';
import { window2dText } from './explain.js';
import { extendKind, pair } from './common.js';

/** The Conv2D layer kind. */
export const Conv2D = extendKind(
  conv2DKind([
    { params: { filters: 4 }, inputs: [[null, 8, 8, 2]] },
    { params: { filters: 3, kernelSize: [3, 5], strides: 2, padding: 'same', activation: 'relu' }, inputs: [[null, 9, 7, 3]] },
    { params: { filters: 2, kernelSize: 1, dilation: 2, l1: 0.001 }, inputs: [[null, 6, 6, 1]] },
  ]),
  {
    paramDocs: {},
    explainShape: (p, [s], [o]) => `${window2dText(s, o, p.kernelSize, p.strides, p.padding, p.dilation)}; ${o[3]} channels = filters`,
    // Weight sharing: kernel rows follow the path's input channels, columns its width.
    sliced: (c, p) => {
      const k = c.take('kernel', { rows: 2, prefix: { axis: 3, n: p.filters } }) as tfNs.Tensor4D;
      const bias = c.take('bias', { prefix: { axis: 0, n: p.filters } });
      const fused = c.fusable(p.activation);
      const y = c.tf.fused.conv2d({
        x: c.x as tfNs.Tensor4D,
        filter: k,
        strides: pair(p.strides),
        pad: p.padding,
        dilations: pair(p.dilation),
        bias,
        activation: fused ? (p.activation as 'relu') : 'linear',
      });
      return { t: fused ? y : c.activate(y, p.activation), channels: 'own' };
    },
  },
);
