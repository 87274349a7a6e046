/** Gradient rules for Max and Min of two inputs (grads/minmax.ts) against tf.js's maximum/minimum. */
import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { checkGradients } from './grad-check.testkit.js';

describe('Max and Min gradients', () => {
  it('Max and Min of equal shapes, with ties going to the first input as in tf.js', () =>
    checkGradients({
      // b = a on its first row: ties, where tf.js gives the whole gradient to the first input.
      inputs: {
        a: { dims: [2, 3], data: Float32Array.from([0.5, -1, 2, 0.3, 0.1, -0.4]) },
        b: { dims: [2, 3], data: Float32Array.from([0.5, -1, 2, -0.2, 0.6, -0.9]) },
      },
      forward: (b) => b.node('Add', [b.node('Max', ['a', 'b'])[0], b.node('Mul', [b.node('Min', ['a', 'b'])[0], b.floats('k', [3], [])])[0]])[0],
      reference: ({ a, b }) => tf.add(tf.maximum(a, b), tf.mul(tf.minimum(a, b), 3)),
    }));
  it('Max with a broadcast operand (a [5] row against [4, 5])', () =>
    checkGradients({
      inputs: { a: { dims: [4, 5] }, b: { dims: [5] } },
      forward: (b) => b.node('Max', ['a', 'b'])[0],
      // tf.js's maximum gradient does not reduce over broadcast axes: broadcast b explicitly
      // (Add's gradient sums it back).
      reference: ({ a, b }) => tf.maximum(a, tf.add(tf.zerosLike(a), b)),
    }));
});
