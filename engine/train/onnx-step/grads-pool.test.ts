/** Pooling and Resize gradients against tf.js (NCHW in the graph, NHWC in tf.js). */
import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { samePads } from '../../onnx/ops.js';
import { attr, type Attr } from '../../onnx/values.js';
import { checkGradients, toFirst, toLast } from './grad-check.testkit.js';

type Pad = 'same' | 'valid';

/**
 * tf.js average pooling as a sum over explicitly zero-padded windows divided by the count of
 * real inputs: tf.js's own avgPool gradient ignores that 'same' excludes padding.
 */
function avgPoolRef(x: tf.Tensor4D, k: [number, number], s: [number, number], pad: Pad): tf.Tensor {
  if (pad === 'valid') return tf.avgPool(x, k, s, 'valid');
  const p = samePads([x.shape[1], x.shape[2]], k, s, [1, 1]);
  const padding: [number, number][] = [
    [0, 0],
    [p[0], p[2]],
    [p[1], p[3]],
    [0, 0],
  ];
  const counts = tf.avgPool(tf.pad(tf.onesLike(x), padding), k, s, 'valid');
  return tf.div(tf.avgPool(tf.pad(x, padding), k, s, 'valid'), counts);
}

/**
 * [out, in] matrix of a tf.js resize along one axis, read off by resizing the identity
 * (resizing is linear and separable): tf.js's resize gradients mishandle non-square images,
 * so the reference differentiates matrix products instead.
 */
function axisMatrix(resize: (x: tf.Tensor4D, size: [number, number]) => tf.Tensor, inSize: number, outSize: number): tf.Tensor2D {
  const eye = tf.reshape(tf.eye(inSize), [1, 1, inSize, inSize]) as tf.Tensor4D;
  return tf.reshape(resize(eye, [1, outSize]), [outSize, inSize]) as tf.Tensor2D;
}

function pool(op: 'MaxPool' | 'AveragePool', hw: [number, number], k: [number, number], s: [number, number], pad: Pad, opset = 17) {
  const pads = pad === 'same' ? samePads(hw, k, s, [1, 1]) : [0, 0, 0, 0];
  return checkGradients({
    opset,
    inputs: { x: { dims: [2, 3, ...hw], declared: [null, 3, ...hw] } },
    forward: (b) => b.node(op, ['x'], { kernel_shape: attr.ints(k), strides: attr.ints(s), pads: attr.ints(pads) })[0],
    reference: ({ x }) => {
      const xl = toLast(x) as tf.Tensor4D;
      return toFirst(op === 'MaxPool' ? tf.maxPool(xl, k, s, pad) : avgPoolRef(xl, k, s, pad));
    },
  });
}

describe('pooling gradients', () => {
  it('MaxPool 2×2 stride 2 (no overlap, plain scatter)', () => pool('MaxPool', [6, 6], [2, 2], [2, 2], 'valid'));
  it('MaxPool 2×2 stride 2 at opset 13', () => pool('MaxPool', [5, 6], [2, 2], [2, 2], 'valid', 13));
  it('MaxPool 3×3 stride 1 same (overlapping, scatter-add)', () => pool('MaxPool', [5, 5], [3, 3], [1, 1], 'same'));
  it('MaxPool 3×2 strides [2,1] same', () => pool('MaxPool', [7, 6], [3, 2], [2, 1], 'same'));
  it('AveragePool 2×2 stride 2 (tiled fast path, leftover row)', () => pool('AveragePool', [7, 6], [2, 2], [2, 2], 'valid'));
  it('AveragePool 3×3 stride 1 same (padding excluded from counts)', () => pool('AveragePool', [5, 6], [3, 3], [1, 1], 'same'));
  it('AveragePool 3×2 strides [2,1] same', () => pool('AveragePool', [7, 5], [3, 2], [2, 1], 'same'));
  it('MaxPool / AveragePool 1-D, same', async () => {
    for (const op of ['MaxPool', 'AveragePool'] as const) {
      await checkGradients({
        inputs: { x: { dims: [2, 3, 9] } },
        forward: (b) => b.node(op, ['x'], { kernel_shape: attr.ints([3]), strides: attr.ints([2]), pads: attr.ints(samePads([9], [3], [2], [1])) })[0],
        reference: ({ x }) => {
          const xl = tf.expandDims(toLast(x), 1) as tf.Tensor4D;
          const y = op === 'MaxPool' ? tf.maxPool(xl, [1, 3], [1, 2], 'same') : avgPoolRef(xl, [1, 3], [1, 2], 'same');
          return toFirst(tf.squeeze(y, [1]));
        },
      });
    }
  });
  it('GlobalAveragePool and GlobalMaxPool (dynamic batch)', async () => {
    for (const op of ['GlobalAveragePool', 'GlobalMaxPool']) {
      await checkGradients({
        inputs: { x: { dims: [2, 3, 4, 5], declared: [null, 3, 4, 5] } },
        forward: (b) => b.node(op, ['x'])[0],
        reference: ({ x }) => (op === 'GlobalMaxPool' ? tf.max(x, [2, 3], true) : tf.mean(x, [2, 3], true)),
      });
    }
  });
});

describe('Resize gradients', () => {
  const resize = (mode: 'nearest' | 'linear', coord: string, scale: [number, number], ref: (x: tf.Tensor4D, size: [number, number]) => tf.Tensor) =>
    checkGradients({
      inputs: { x: { dims: [2, 3, 3, 4], declared: [null, 3, 3, 4] } },
      forward: (b) => {
        const scales = b.floats('scales', [1, 1, ...scale]);
        const extra: Record<string, Attr> = mode === 'nearest' ? { nearest_mode: attr.s('floor') } : {};
        return b.node('Resize', ['x', '', scales], { mode: attr.s(mode), coordinate_transformation_mode: attr.s(coord), ...extra })[0];
      },
      reference: ({ x }) => {
        const mh = axisMatrix(ref, 3, 3 * scale[0]);
        const mw = axisMatrix(ref, 4, 4 * scale[1]);
        // y = Mh · x · Mwᵀ per plane.
        const xw = tf.reshape(tf.matMul(tf.reshape(x, [-1, 4]), mw, false, true), [2, 3, 3, 4 * scale[1]]);
        const xt = tf.reshape(tf.transpose(xw, [0, 1, 3, 2]), [-1, 3]);
        const y = tf.reshape(tf.matMul(xt, mh, false, true), [2, 3, 4 * scale[1], 3 * scale[0]]);
        return tf.transpose(y, [0, 1, 3, 2]);
      },
    });
  it('nearest ×2 (UpSampling2D)', () => resize('nearest', 'asymmetric', [2, 2], (x, s) => tf.image.resizeNearestNeighbor(x, s)));
  it('nearest ×[3,2]', () => resize('nearest', 'asymmetric', [3, 2], (x, s) => tf.image.resizeNearestNeighbor(x, s)));
  it('bilinear ×2 asymmetric (UpSampling2D bilinear)', () => resize('linear', 'asymmetric', [2, 2], (x, s) => tf.image.resizeBilinear(x, s)));
  it('bilinear ×[2,3] half_pixel', () => resize('linear', 'half_pixel', [2, 3], (x, s) => tf.image.resizeBilinear(x, s, false, true)));
});
