/** Gradients of data-movement ops and Gather (embedding lookups with repeated ids). */
import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { attr } from '../../onnx/values.js';
import { checkGradients } from './grad-check.testkit.js';

describe('shape-op gradients', () => {
  it('Transpose, Reshape, Flatten, Identity, Cast (dynamic batch)', () =>
    checkGradients({
      inputs: { x: { dims: [2, 3, 4], declared: [null, 3, 4] } },
      forward: (b) => {
        const t = b.node('Transpose', ['x'], { perm: attr.ints([0, 2, 1]) })[0];
        const r = b.node('Reshape', [t, b.int64s('s', [0, 2, 6])])[0];
        const c = b.node('Cast', [b.node('Identity', [r])[0]], { to: attr.i(1) })[0];
        const f = b.node('Flatten', [c], { axis: attr.i(1) })[0];
        return b.node('Mul', [f, f])[0];
      },
      reference: ({ x }) => {
        const f = tf.reshape(tf.transpose(x, [0, 2, 1]), [2, 12]);
        return tf.mul(f, f);
      },
    }));
  it('Squeeze / Unsqueeze (axes as inputs)', () =>
    checkGradients({
      inputs: { x: { dims: [3, 1, 4] } },
      forward: (b) => b.node('Unsqueeze', [b.node('Squeeze', ['x', b.int64s('a', [1])])[0], b.int64s('a', [0])])[0],
      reference: ({ x }) => tf.reshape(x, [1, 3, 4]),
    }));
  it('Slice with steps 1 and -1 (sequence reversal)', () =>
    checkGradients({
      inputs: { x: { dims: [5, 2, 6] } },
      forward: (b) => {
        const part = b.node('Slice', ['x', b.int64s('st', [1, 2]), b.int64s('en', [4, -1]), b.int64s('ax', [0, 2])])[0];
        return b.node('Slice', [part, b.int64s('st', [-1]), b.int64s('en', [Number.MIN_SAFE_INTEGER]), b.int64s('ax', [0]), b.int64s('sp', [-1])])[0];
      },
      reference: ({ x }) => tf.reverse(tf.slice(x, [1, 0, 2], [3, 2, 3]), 0),
    }));
  it('Concat (used twice: gradients accumulate) and Pad', () =>
    checkGradients({
      inputs: { a: { dims: [2, 3, 4] }, b: { dims: [2, 2, 4] } },
      forward: (b) => {
        const c = b.node('Concat', ['a', 'b', 'a'], { axis: attr.i(1) })[0];
        return b.node('Pad', [c, b.int64s('p', [0, 1, 0, 0, 2, 1])])[0];
      },
      reference: ({ a, b }) =>
        tf.pad(tf.concat([a, b, a], 1), [
          [0, 0],
          [1, 2],
          [0, 1],
        ]),
    }));
  it('Pad with negative pads (cropping)', () =>
    checkGradients({
      inputs: { x: { dims: [2, 5, 4] } },
      forward: (b) => b.node('Pad', ['x', b.int64s('p', [0, -1, 1, 0, 2, -1])])[0],
      reference: ({ x }) =>
        tf.pad(tf.slice(x, [0, 1, 0], [2, 4, 3]), [
          [0, 0],
          [0, 2],
          [1, 0],
        ]),
    }));
  it('Split', () =>
    checkGradients({
      inputs: { x: { dims: [2, 6] } },
      forward: (b) => {
        const [p, , r] = b.node('Split', ['x', b.int64s('sp', [1, 2, 3])], { axis: attr.i(1) }, 3);
        return b.node('Concat', [r, p], { axis: attr.i(1) })[0];
      },
      reference: ({ x }) => tf.concat([tf.slice(x, [0, 3], [2, 3]), tf.slice(x, [0, 0], [2, 1])], 1),
    }));
});

describe('Gather (embedding) gradients with repeated ids', () => {
  for (const opset of [13, 17]) {
    it(`opset ${opset} (${opset >= 16 ? 'ScatterND add' : 'one-hot Gemm'})`, () =>
      checkGradients({
        opset,
        inputs: { table: { dims: [5, 3] }, ids: { dims: [4, 6], declared: [null, 6], ints: 5 } },
        forward: (b) => b.node('Gather', ['table', b.node('Cast', ['ids'], { to: attr.i(6) })[0]], { axis: attr.i(0) })[0],
        reference: ({ table, ids }) => tf.gather(table, ids),
      }));
  }
});
