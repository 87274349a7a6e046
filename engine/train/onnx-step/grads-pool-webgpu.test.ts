/**
 * The WebGPU formulation of MaxPool's gradient (ArgMax over tiled windows, no Indices output)
 * against tf.js. It is plain ONNX, so the check runs on the CPU provider like every rule.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { attr } from '../../onnx/values.js';
import { checkGradients, toFirst, toLast } from './grad-check.testkit.js';

function maxPool(hw: number[], k: number[], s: number[]) {
  const two = hw.length === 2;
  return checkGradients({
    provider: 'webgpu',
    inputs: { x: { dims: [2, 3, ...hw], declared: [null, 3, ...hw] } },
    forward: (b) => b.node('MaxPool', ['x'], { kernel_shape: attr.ints(k), strides: attr.ints(s), pads: attr.ints([...k.map(() => 0), ...k.map(() => 0)]) })[0],
    reference: ({ x }) => {
      if (two) return toFirst(tf.maxPool(toLast(x) as tf.Tensor4D, k as [number, number], s as [number, number], 'valid'));
      const xl = tf.expandDims(toLast(x), 1) as tf.Tensor4D;
      return toFirst(tf.squeeze(tf.maxPool(xl, [1, k[0]], [1, s[0]], 'valid'), [1]));
    },
  });
}

describe('MaxPool gradient for WebGPU (ArgMax over windows)', () => {
  it('2×2 stride 2', () => maxPool([6, 6], [2, 2], [2, 2]));
  it('2×2 stride 2 with a leftover row and column', () => maxPool([7, 5], [2, 2], [2, 2]));
  it('3×2 strides [3,2]', () => maxPool([6, 6], [3, 2], [3, 2]));
  it('1-D, 2 stride 2', () => maxPool([9], [2], [2]));
  it('refuses overlapping windows, naming the node', async () => {
    await expect(maxPool([5, 5], [3, 3], [1, 1])).rejects.toThrow(/MaxPool ".*": WebGPU trains only non-overlapping unpadded max pools/);
  });
});
