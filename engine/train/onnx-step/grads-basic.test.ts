/** Gradient rules for elementwise ops, activations, MatMul/Gemm, reductions, normalisation. */
import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { attr } from '../../onnx/values.js';
import { checkGradients } from './grad-check.testkit.js';

const one = (op: string, attrs = {}) => ({
  inputs: { x: { dims: [3, 5] } },
  forward: (b: import('../../onnx/builder.js').OnnxBuilder) => b.node(op, ['x'], attrs)[0],
});

describe('elementwise gradients', () => {
  it('Add with a per-channel [C,1,1] bias and a scalar constant', () =>
    checkGradients({
      inputs: { x: { dims: [2, 3, 4, 4], declared: [null, 3, 4, 4] }, bias: { dims: [3, 1, 1] } },
      forward: (b) => b.node('Add', [b.node('Add', ['x', 'bias'])[0], b.floats('c', [0.5], [])])[0],
      reference: ({ x, bias }) => tf.add(tf.add(x, bias), 0.5),
    }));
  it('Sub and Mul broadcasting both ways', () =>
    checkGradients({
      inputs: { a: { dims: [2, 1, 4] }, b: { dims: [3, 1] }, c: { dims: [4] } },
      forward: (b) => b.node('Mul', [b.node('Sub', ['a', 'b'])[0], 'c'])[0],
      reference: ({ a, b, c }) => tf.mul(tf.sub(a, b), c),
    }));
  it('Div, Sqrt, Pow, Neg, Exp, Log', () =>
    checkGradients({
      inputs: { a: { dims: [3, 4] }, b: { dims: [4] } },
      forward: (b) => {
        const pos = b.node('Add', [b.node('Mul', ['b', 'b'])[0], b.floats('one', [1], [])])[0];
        const q = b.node('Div', ['a', b.node('Sqrt', [pos])[0]])[0];
        const p = b.node('Pow', [q, b.floats('two', [2], [])])[0];
        const e = b.node('Exp', [b.node('Neg', ['a'])[0]])[0];
        return b.node('Add', [b.node('Add', [p, e])[0], b.node('Log', [pos])[0]])[0];
      },
      reference: ({ a, b }) => {
        const pos = tf.add(tf.mul(b, b), 1);
        return tf.add(tf.add(tf.square(tf.div(a, tf.sqrt(pos))), tf.exp(tf.neg(a))), tf.log(pos));
      },
    }));
  it('ReduceSum / ReduceMean with and without keepdims, at opset 13 and 18', async () => {
    for (const opset of [13, 18]) {
      await checkGradients({
        opset,
        inputs: { x: { dims: [2, 3, 4] } },
        forward: (b) => {
          const mean =
            opset >= 18
              ? b.node('ReduceMean', ['x', b.int64s('ax', [-1])], { keepdims: attr.i(1) })[0]
              : b.node('ReduceMean', ['x'], { axes: attr.ints([-1]), keepdims: attr.i(1) })[0];
          const sum = b.node('ReduceSum', ['x', b.int64s('ax', [0, 2])], { keepdims: attr.i(0) })[0];
          return b.node('Mul', [mean, sum])[0];
        },
        reference: ({ x }) => tf.mul(tf.mean(x, -1, true), tf.sum(x, [0, 2])),
      });
    }
  });
  it('layer-norm decomposition (ReduceMean, Sub, Mul, Add, Sqrt, Div) with gamma/beta', () =>
    checkGradients({
      inputs: { x: { dims: [4, 6] }, gamma: { dims: [6] }, beta: { dims: [6] } },
      forward: (b) => {
        const rm = (v: string) => b.node('ReduceMean', [v], { axes: attr.ints([-1]), keepdims: attr.i(1) })[0];
        const d = b.node('Sub', ['x', rm('x')])[0];
        const v = rm(b.node('Mul', [d, d])[0]);
        const s = b.node('Sqrt', [b.node('Add', [v, b.floats('eps', [1e-3], [])])[0]])[0];
        return b.node('Add', [b.node('Mul', [b.node('Div', [d, s])[0], 'gamma'])[0], 'beta'])[0];
      },
      reference: ({ x, gamma, beta }) => {
        const { mean, variance } = tf.moments(x, -1, true);
        return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3))), gamma), beta);
      },
    }));
  it('LayerNormalization (opset 17) with scale and bias', () =>
    checkGradients({
      inputs: { x: { dims: [3, 2, 5], declared: [null, 2, 5] }, gamma: { dims: [5] }, beta: { dims: [5] } },
      forward: (b) => b.node('LayerNormalization', ['x', 'gamma', 'beta'], { axis: attr.i(-1), epsilon: attr.f(1e-3) })[0],
      reference: ({ x, gamma, beta }) => {
        const { mean, variance } = tf.moments(x, -1, true);
        return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3))), gamma), beta);
      },
    }));
  it('BatchNormalization in training mode (batch statistics)', () =>
    checkGradients({
      inputs: {
        x: { dims: [4, 3, 2, 2] },
        gamma: { dims: [3] },
        beta: { dims: [3] },
        mean: { dims: [3] },
        variance: { dims: [3], data: Float32Array.from([1, 2, 3]) },
      },
      wrt: ['x', 'gamma', 'beta'],
      forward: (b) =>
        b.node('BatchNormalization', ['x', 'gamma', 'beta', 'mean', 'variance'], { epsilon: attr.f(1e-3), training_mode: attr.i(1) }, [
          'bn_y',
          'bn_rm',
          'bn_rv',
        ])[0],
      reference: ({ x, gamma, beta }) => {
        const { mean, variance } = tf.moments(x, [0, 2, 3], true);
        const g = tf.reshape(gamma, [3, 1, 1]);
        return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3))), g), tf.reshape(beta, [3, 1, 1]));
      },
    }));
});

describe('activation gradients', () => {
  const cases: [string, Record<string, ReturnType<typeof attr.f>>, (x: tf.Tensor) => tf.Tensor][] = [
    ['Relu', {}, (x) => tf.relu(x)],
    ['LeakyRelu', { alpha: attr.f(0.2) }, (x) => tf.leakyRelu(x, 0.2)],
    ['Elu', { alpha: attr.f(1) }, (x) => tf.elu(x)],
    ['Selu', {}, (x) => tf.selu(x)],
    ['Sigmoid', {}, (x) => tf.sigmoid(x)],
    ['Tanh', {}, (x) => tf.tanh(x)],
    ['Softmax', {}, (x) => tf.softmax(x)],
    ['LogSoftmax', {}, (x) => tf.logSoftmax(x)],
    ['Erf', {}, (x) => tf.erf(x)],
  ];
  for (const [op, attrs, ref] of cases) it(op, () => checkGradients({ ...one(op, attrs), reference: ({ x }) => ref(x) }));
  it('Softmax over the channel axis of NCHW', () =>
    checkGradients({
      inputs: { x: { dims: [2, 4, 3, 3] } },
      forward: (b) => b.node('Softmax', ['x'], { axis: attr.i(1) })[0],
      reference: ({ x }) => tf.transpose(tf.softmax(tf.transpose(x, [0, 2, 3, 1])), [0, 3, 1, 2]),
    }));
});

describe('MatMul / Gemm gradients', () => {
  it('Dense: [N, in] x [in, out] + bias', () =>
    checkGradients({
      inputs: { x: { dims: [5, 4], declared: [null, 4] }, w: { dims: [4, 3] }, bias: { dims: [3] } },
      forward: (b) => b.node('Add', [b.node('MatMul', ['x', 'w'])[0], 'bias'])[0],
      reference: ({ x, w, bias }) => tf.add(tf.matMul(x, w), bias),
    }));
  it('Dense over sequences: [N, T, in] x [in, out]', () =>
    checkGradients({
      inputs: { x: { dims: [2, 3, 4], declared: [null, 3, 4] }, w: { dims: [4, 5] } },
      forward: (b) => b.node('MatMul', ['x', 'w'])[0],
      reference: ({ x, w }) => tf.reshape(tf.matMul(tf.reshape(x, [6, 4]), w), [2, 3, 5]),
    }));
  it('batched MatMul with a broadcast operand', () =>
    checkGradients({
      inputs: { a: { dims: [2, 3, 4] }, b: { dims: [1, 4, 2] } },
      forward: (b) => b.node('MatMul', ['a', 'b'])[0],
      reference: ({ a, b }) => tf.matMul(a, tf.tile(b, [2, 1, 1])),
    }));
  it('Gemm with transA, transB, alpha, beta', async () => {
    for (const [ta, tb] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ]) {
      await checkGradients({
        inputs: { a: { dims: ta ? [4, 3] : [3, 4] }, b: { dims: tb ? [5, 4] : [4, 5] }, c: { dims: [5] } },
        forward: (b) => b.node('Gemm', ['a', 'b', 'c'], { transA: attr.i(ta), transB: attr.i(tb), alpha: attr.f(0.5), beta: attr.f(2) })[0],
        reference: ({ a, b, c }) => tf.add(tf.mul(tf.matMul(a, b, ta === 1, tb === 1), 0.5), tf.mul(c, 2)),
      });
    }
  });
});
