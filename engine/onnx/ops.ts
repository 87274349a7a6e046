/**
 * Emission helpers shared by layer files' `toOnnx`: activations with tf.js semantics,
 * TF-style "same" padding, weight re-layout on the CPU. Pure (no protobuf import), so layer
 * files stay importable by the renderer.
 */
import type { OnnxBuilder } from './builder.js';
import { attr, type Attr, type OnnxValue } from './values.js';

export { transposeData } from './transpose-data.js';

/**
 * Explicit ONNX `pads` ([begin..., end...]) reproducing TF "same" padding: the total pad
 * makes the output ceil(in/stride), and any odd pixel goes at the end (SAME_UPPER).
 */
export function samePads(input: number[], kernel: number[], strides: number[], dilations: number[]): number[] {
  const begin: number[] = [];
  const end: number[] = [];
  input.forEach((n, i) => {
    const eff = (kernel[i] - 1) * dilations[i] + 1;
    const out = Math.ceil(n / strides[i]);
    const total = Math.max((out - 1) * strides[i] + eff - n, 0);
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
  });
  return [...begin, ...end];
}

/** Padding attributes for a conv/pool: explicit pads when sizes are known, else SAME_UPPER. */
export function padAttrs(
  padding: 'valid' | 'same',
  spatial: (number | null)[],
  kernel: number[],
  strides: number[],
  dilations: number[],
): Record<string, Attr> {
  if (padding === 'valid') return { pads: attr.ints(new Array(kernel.length * 2).fill(0)) };
  if (spatial.some((d) => d === null)) return { auto_pad: attr.s('SAME_UPPER') };
  return { pads: attr.ints(samePads(spatial as number[], kernel, strides, dilations)) };
}

/** Activation names the layers use (Keras names plus leakyRelu). */
export type ActivationName = 'linear' | 'relu' | 'leakyRelu' | 'elu' | 'selu' | 'gelu' | 'sigmoid' | 'tanh' | 'softmax' | 'swish';

/**
 * Applies an activation to `v` with tf.js semantics and returns the new value. Softmax runs
 * over the channel axis, which is axis 1 when the value is channels-first.
 */
export function emitActivation(ctx: OnnxBuilder, v: OnnxValue, fn: ActivationName, alpha = 0.3): OnnxValue {
  const one = (op: string, attrs = {}) => ({ ...v, name: ctx.node(op, [v.name], attrs)[0] });
  switch (fn) {
    case 'linear':
      return v;
    case 'relu':
      return one('Relu');
    case 'leakyRelu':
      return one('LeakyRelu', { alpha: attr.f(alpha) });
    case 'elu':
      return one('Elu', { alpha: attr.f(1) });
    case 'selu':
      // tf.js uses the exact SELU constants; ONNX's defaults are the same values in float32.
      return one('Selu');
    case 'sigmoid':
      return one('Sigmoid');
    case 'tanh':
      return one('Tanh');
    case 'softmax': {
      const axis = v.layout === 'first' && v.shape.length >= 3 ? 1 : -1;
      return one('Softmax', { axis: attr.i(axis) });
    }
    case 'swish': {
      const [s] = ctx.node('Sigmoid', [v.name]);
      return { ...v, name: ctx.node('Mul', [v.name, s])[0] };
    }
    case 'gelu': {
      // tf.js 'gelu' is the exact form: 0.5·x·(1 + erf(x/√2)).
      const [scaled] = ctx.node('Div', [v.name, ctx.floats('sqrt2', [Math.SQRT2], [])]);
      const [erf] = ctx.node('Erf', [scaled]);
      const [plus] = ctx.node('Add', [erf, ctx.floats('one', [1], [])]);
      const [half] = ctx.node('Mul', [v.name, ctx.floats('half', [0.5], [])]);
      return { ...v, name: ctx.node('Mul', [half, plus])[0] };
    }
  }
}
