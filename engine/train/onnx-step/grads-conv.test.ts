/**
 * Conv and ConvTranspose gradients against tf.js: strides, same/valid/explicit pads,
 * dilation, 1×1 and non-square kernels, groups (depthwise with a multiplier), 1-D. Cases
 * whose output keeps the input's size (per stride) run the per-tap formulations of
 * grads/conv-taps.ts; the others the batch-as-channels Conv and ConvTranspose.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import type { OnnxBuilder } from '../../onnx/builder.js';
import { samePads } from '../../onnx/ops.js';
import { attr } from '../../onnx/values.js';
import { checkGradients, toFirst, toLast } from './grad-check.testkit.js';

interface ConvCase {
  n?: number;
  c: number;
  m: number;
  hw: [number, number];
  k: [number, number];
  s?: [number, number];
  d?: [number, number];
  pads?: number[] | 'same';
  group?: number;
  bias?: boolean;
  opset?: number;
}

/** 0/1 [k, eff] matrix spreading k taps d apart (a dilated kernel without dilation). */
function spreadMatrix(k: number, d: number): tf.Tensor2D {
  const eff = (k - 1) * d + 1;
  const m = new Float32Array(k * eff);
  for (let t = 0; t < k; t++) m[t * eff + t * d] = 1;
  return tf.tensor2d(m, [k, eff]);
}

/**
 * The kernel [M, C, kh, kw] with zeros between its taps: tf.js has no gradients for dilated
 * convs, so the reference convolves with this equivalent undilated kernel.
 */
function dilate(w: tf.Tensor, d: [number, number]): tf.Tensor {
  const [m, c, kh, kw] = w.shape as [number, number, number, number];
  const ew = tf.matMul(tf.reshape(w, [m * c * kh, kw]), spreadMatrix(kw, d[1]));
  const effW = ew.shape[1] as number;
  const t = tf.reshape(tf.transpose(tf.reshape(ew, [m * c, kh, effW]), [0, 2, 1]), [m * c * effW, kh]);
  const eh = tf.matMul(t, spreadMatrix(kh, d[0]));
  return tf.transpose(tf.reshape(eh, [m, c, effW, eh.shape[1] as number]), [0, 1, 3, 2]);
}

/** tf.js conv over ONNX-layout x [N,C,H,W] and w [M,C/g,kh,kw] with explicit pads [t,l,b,r]. */
function tfConv(x: tf.Tensor, w: tf.Tensor, s: [number, number], d: [number, number], pads: number[], group: number): tf.Tensor {
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [pads[0], pads[2]],
    [pads[1], pads[3]],
    [0, 0],
  ];
  const xs = group === 1 ? [x] : tf.split(x, group, 1);
  const wd = d[0] === 1 && d[1] === 1 ? w : dilate(w, d);
  const ws = group === 1 ? [wd] : tf.split(wd, group, 0);
  const ys = xs.map((xi, i) => toFirst(tf.conv2d(toLast(xi) as tf.Tensor4D, tf.transpose(ws[i], [2, 3, 1, 0]) as tf.Tensor4D, s, pad, 'NHWC')));
  return ys.length === 1 ? ys[0] : tf.concat(ys, 1);
}

function convCase(cc: ConvCase) {
  const { c, m, hw, k } = cc;
  const n = cc.n ?? 2;
  const s = cc.s ?? [1, 1];
  const d = cc.d ?? [1, 1];
  const g = cc.group ?? 1;
  const pads = cc.pads === 'same' ? samePads(hw, k, s, d) : (cc.pads ?? [0, 0, 0, 0]);
  return checkGradients({
    opset: cc.opset,
    inputs: { x: { dims: [n, c, ...hw], declared: [null, c, ...hw] }, w: { dims: [m, c / g, ...k] }, ...(cc.bias ? { b: { dims: [m] } } : {}) },
    forward: (b: OnnxBuilder) =>
      b.node('Conv', cc.bias ? ['x', 'w', 'b'] : ['x', 'w'], {
        kernel_shape: attr.ints(k),
        strides: attr.ints(s),
        dilations: attr.ints(d),
        pads: attr.ints(pads),
        group: attr.i(g),
      })[0],
    reference: ({ x, w, b }) => {
      const y = tfConv(x, w, s, d, pads, g);
      return b ? tf.add(y, tf.reshape(b, [m, 1, 1])) : y;
    },
  });
}

describe('Conv gradients', () => {
  it('3×3 valid, stride 1, bias', () => convCase({ c: 3, m: 4, hw: [6, 6], k: [3, 3], bias: true }));
  it('3×3 same, stride 2 (odd input: output_padding)', () => convCase({ c: 2, m: 3, hw: [7, 7], k: [3, 3], s: [2, 2], pads: 'same', bias: true }));
  it('non-square 3×5 kernel, strides [2,1], same pads, even input', () => convCase({ c: 2, m: 3, hw: [8, 9], k: [3, 5], s: [2, 1], pads: 'same' }));
  it('stride 2 valid with leftover rows', () => convCase({ c: 2, m: 2, hw: [8, 8], k: [3, 3], s: [2, 2] }));
  it('1×1 kernel', () => convCase({ c: 4, m: 3, hw: [5, 5], k: [1, 1] }));
  it('dilation 2, same pads', () => convCase({ c: 2, m: 2, hw: [7, 8], k: [3, 3], d: [2, 2], pads: 'same' }));
  it('dilation 2 with stride 2', () => convCase({ c: 2, m: 3, hw: [9, 8], k: [3, 2], s: [2, 2], d: [2, 2], pads: 'same', bias: true }));
  it('explicit asymmetric pads at opset 13', () => convCase({ c: 2, m: 2, hw: [6, 5], k: [2, 3], pads: [1, 0, 0, 2], opset: 13 }));
  it('1×1 kernel with pads (output larger than the input)', () => convCase({ c: 3, m: 2, hw: [4, 5], k: [1, 1], pads: [1, 1, 1, 1], bias: true }));
  it('stride 1, 3×3, uneven pads wider than the kernel reach on one side', () => convCase({ c: 2, m: 3, hw: [5, 4], k: [3, 3], pads: [3, 0, 1, 2] }));
  it('groups = 2', () => convCase({ c: 4, m: 6, hw: [5, 5], k: [3, 3], group: 2, bias: true }));
  it('depthwise with multiplier 2, stride 2, same', () => convCase({ c: 3, m: 6, hw: [6, 6], k: [3, 3], s: [2, 2], pads: 'same', group: 3 }));
  it('depthwise multiplier 1, dilation 2', () => convCase({ c: 4, m: 4, hw: [7, 7], k: [3, 3], d: [2, 2], group: 4 }));

  it('1-D conv, stride 2, same pads, bias', () => {
    const pads = samePads([9], [4], [2], [1]);
    return checkGradients({
      inputs: { x: { dims: [2, 3, 9], declared: [null, 3, 9] }, w: { dims: [4, 3, 4] }, b: { dims: [4] } },
      forward: (b) => b.node('Conv', ['x', 'w', 'b'], { kernel_shape: attr.ints([4]), strides: attr.ints([2]), pads: attr.ints(pads) })[0],
      reference: ({ x, w, b }) => {
        const y = tfConv(tf.expandDims(x, 2), tf.expandDims(w, 2), [1, 2], [1, 1], [0, pads[0], 0, pads[1]], 1);
        return tf.add(tf.squeeze(y, [2]), tf.reshape(b, [4, 1]));
      },
    });
  });
  it('1-D conv, dilation 2, valid', () =>
    checkGradients({
      inputs: { x: { dims: [2, 2, 10] }, w: { dims: [3, 2, 3] } },
      forward: (b) => b.node('Conv', ['x', 'w'], { kernel_shape: attr.ints([3]), dilations: attr.ints([2]), pads: attr.ints([0, 0]) })[0],
      reference: ({ x, w }) => tf.squeeze(tfConv(tf.expandDims(x, 2), tf.expandDims(w, 2), [1, 1], [1, 2], [0, 0, 0, 0], 1), [2]),
    }));
});

describe('ConvTranspose gradients', () => {
  const convT = (hw: [number, number], k: [number, number], s: [number, number], pads: number[]) =>
    checkGradients({
      inputs: { x: { dims: [2, 3, ...hw], declared: [null, 3, ...hw] }, w: { dims: [3, 2, ...k] }, b: { dims: [2] } },
      forward: (b) => b.node('ConvTranspose', ['x', 'w', 'b'], { kernel_shape: attr.ints(k), strides: attr.ints(s), pads: attr.ints(pads) })[0],
      reference: ({ x, w, b }) => {
        // Valid transposed conv, then crop the ONNX pads.
        const out: [number, number, number, number] = [2, s[0] * (hw[0] - 1) + k[0], s[1] * (hw[1] - 1) + k[1], 2];
        const full = toFirst(tf.conv2dTranspose(toLast(x) as tf.Tensor4D, tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D, out, s, 'valid'));
        const cropped = tf.slice(full, [0, 0, pads[0], pads[1]], [2, 2, out[1] - pads[0] - pads[2], out[2] - pads[1] - pads[3]]);
        return tf.add(cropped, tf.reshape(b, [2, 1, 1]));
      },
    });
  it('stride 2, 3×3, no pads', () => convT([4, 4], [3, 3], [2, 2], [0, 0, 0, 0]));
  it('stride 2, 4×3 kernel, pads (same-style crop)', () => convT([3, 5], [4, 3], [2, 2], [1, 1, 1, 0]));
  it('stride 1, 2×2 kernel', () => convT([5, 4], [2, 2], [1, 1], [0, 0, 0, 0]));
});
