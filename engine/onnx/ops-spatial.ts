/**
 * Emission helpers for the spatial kinds (1-D/2-D convolutions, pools, global pools,
 * reductions): the pieces where tf.js and ONNX conventions differ (TF "same" padding,
 * transposed-convolution output sizes, opset-dependent reduce signatures). Pure (no protobuf
 * import), so layer files stay importable by the renderer.
 */
import type { OnnxBuilder } from './builder.js';
import { padAttrs } from './ops.js';
import { attr, type Attr, type OnnxValue } from './values.js';
import type { Shape } from '../layers/types.js';

/** Spatial sizes of a tf.js-convention shape (everything between batch and channels). */
export function spatialOf(shape: Shape): (number | null)[] {
  return shape.slice(1, -1);
}

/**
 * Conv-style attributes (kernel, strides, pads) for an input of tf.js shape `shape`.
 * Explicit pads put TF's odd "same" pixel at the end. With stride 1 the "same" pad is
 * (k−1)·d whatever the size, so an unknown size along such an axis still gets explicit pads;
 * this matters because onnxruntime rejects auto_pad SAME_* together with dilation > 1 (and
 * tf.js only allows dilation with stride 1). Only an unknown size with stride > 1 falls back
 * to auto_pad SAME_UPPER, which is the same rule.
 */
export function windowAttrs(
  shape: Shape,
  kernel: number[],
  strides: number[],
  padding: 'valid' | 'same',
  dilations: number[] = kernel.map(() => 1),
): Record<string, Attr> {
  const sizes = spatialOf(shape).map((d, i) => (d === null && strides[i] === 1 ? 1 : d));
  return {
    kernel_shape: attr.ints(kernel),
    strides: attr.ints(strides),
    ...padAttrs(padding, sizes, kernel, strides, dilations),
  };
}

/**
 * MaxPool / AveragePool on channels-first data (1-D pools run as ONNX 1-D pools on
 * [N, C, W]). AveragePool keeps ONNX's default count_include_pad=0, which is what tf.js does
 * for "same" padding: padded cells are not counted in the mean. MaxPool ignores pad cells.
 */
export function emitPool(
  ctx: OnnxBuilder,
  op: 'MaxPool' | 'AveragePool',
  x: OnnxValue,
  pool: number[],
  strides: number[],
  padding: 'valid' | 'same',
  outShape: Shape,
): OnnxValue {
  const v = ctx.asLayout(x, 'first');
  const [out] = ctx.node(op, [v.name], windowAttrs(x.shape, pool, strides, padding));
  return { name: out, shape: outShape, layout: 'first' };
}

/**
 * A reduction over `axes` (physical) with keepdims. ReduceMean/ReduceMax take `axes` as an
 * attribute before opset 18 and as an int64 input from 18 on, so this branches on the opset.
 */
export function emitReduce(ctx: OnnxBuilder, op: 'ReduceMean' | 'ReduceMax', v: string, axes: number[], keepdims: boolean): string {
  const keep = { keepdims: attr.i(keepdims ? 1 : 0) };
  if (ctx.opset >= 18) return ctx.node(op, [v, ctx.int64s(`${op.toLowerCase()}_axes`, axes)], keep)[0];
  return ctx.node(op, [v], { axes: attr.ints(axes), ...keep })[0];
}

/**
 * Global pooling to [batch, channels] as a reduction over the physical spatial axes, so it
 * works in whichever layout the value arrives in (no Transpose after a channels-first conv,
 * none either after a channels-last op).
 */
export function emitGlobalPool(ctx: OnnxBuilder, op: 'ReduceMean' | 'ReduceMax', x: OnnxValue): OnnxValue {
  const rank = x.shape.length;
  const first = x.layout === 'first' && rank >= 3;
  const axes = Array.from({ length: rank - 2 }, (_, i) => (first ? i + 2 : i + 1));
  return { name: emitReduce(ctx, op, x.name, axes, false), shape: [x.shape[0], x.shape[rank - 1]], layout: 'last' };
}

/**
 * ConvTranspose `pads` and `output_padding` that give tf.js's `deconvLength` output sizes.
 * ONNX's full output is s·(in−1)+k; tf.js wants in·s ("same") or in·s+max(k−s,0) ("valid"),
 * i.e. full − (k−s) or full − min(k−s,0). A positive surplus is cropped like TF's forward
 * "same" pad (the smaller half at the start); a deficit (k < s) is output_padding, zeros at
 * the end, as tf.js leaves them. Independent of the input size, so unknown sizes work.
 */
export function deconvPads(kernel: number[], strides: number[], padding: 'valid' | 'same'): { pads: number[]; outputPadding: number[] } {
  const begin: number[] = [];
  const end: number[] = [];
  const outputPadding: number[] = [];
  kernel.forEach((k, i) => {
    const surplus = k - strides[i];
    const crop = padding === 'same' ? Math.max(surplus, 0) : 0;
    begin.push(Math.floor(crop / 2));
    end.push(crop - Math.floor(crop / 2));
    outputPadding.push(Math.max(-surplus, 0));
  });
  return { pads: [...begin, ...end], outputPadding };
}
