/**
 * MaxPool's gradient without the Indices output, for providers whose MaxPool kernel lacks
 * it (onnxruntime's WebGPU provider: "The Indices output is not supported yet").
 *
 * For tiled windows (stride = kernel, no padding, no dilation: the usual 2×2/2 pool) each
 * input lies in one window, so the windows can be laid out as a last axis: X [N,C,H,W] →
 * [N,C,oh,ow,kh·kw]; ArgMax over it picks the first maximum in row-major window order (as
 * the CPU kernel's indices and tf.js do), a one-hot Equal against 0…k−1 routes dY there, and
 * the inverse reshape/transpose puts the gradient back in place. Inputs past the last whole
 * window (a leftover row) get zero. Overlapping or padded windows are refused with the node
 * named, so `auto` trains such graphs on the CPU provider instead.
 */
import { attr, type IrNode } from '../../../onnx/values.js';
import { attrInts, windowGeometry } from '../shapes.js';
import type { GradContext } from '../types.js';
import { isStatic, op, reshape, transpose, unsqueeze } from './util.js';

/** d(loss)/dX of a MaxPool node by ArgMax over its windows. */
export function maxPoolByArgMax(g: GradContext, n: IrNode, dy: string): [string] {
  const x = n.inputs[0];
  const xSp = g.shape(x).slice(2);
  const ySp = g.shape(n.outputs[0]).slice(2);
  if (!isStatic(xSp) || !isStatic(ySp)) throw new Error(`MaxPool "${n.outputs[0]}": gradients need known spatial sizes`);
  const kernel = attrInts(n, 'kernel_shape')!;
  const geo = windowGeometry(n, xSp, kernel);
  const tiled = kernel.every((k, i) => geo.strides[i] === k && geo.dilations[i] === 1) && (geo.pads ?? []).every((p) => p === 0);
  if (!tiled || kernel.length > 2) {
    throw new Error(
      `MaxPool "${n.outputs[0]}": WebGPU trains only non-overlapping unpadded max pools (its MaxPool has no Indices output); use the CPU trainer`,
    );
  }
  const r = kernel.length;
  const k = kernel.reduce((p, q) => p * q, 1);
  const used = ySp.map((o, i) => o * kernel[i]);
  // Crop a leftover row/column so the windows tile the input exactly.
  const cropped = used.some((u, i) => u !== xSp[i])
    ? op(g, 'Slice', [
        x,
        g.b.int64s(
          'g_zero',
          used.map(() => 0),
        ),
        g.b.int64s('g_used', used),
        g.b.int64s(
          'g_axes',
          used.map((_, i) => 2 + i),
        ),
      ])
    : x;
  // [N,C,o1,k1,(o2,k2)] -> [N,C,o1,(o2),k1,(k2)] -> [N,C,o1,(o2),k]
  const split = reshape(g, cropped, [0, 0, ...ySp.flatMap((o, i) => [o, kernel[i]])]);
  const perm = r === 2 ? [0, 1, 2, 4, 3, 5] : [0, 1, 2, 3];
  const windows = reshape(g, r === 2 ? transpose(g, split, perm) : split, [0, 0, ...ySp, k]);
  const argmax = op(g, 'ArgMax', [windows], { axis: attr.i(2 + r), keepdims: attr.i(1) });
  const iota = g.b.int64s(
    'g_iota',
    Array.from({ length: k }, (_, i) => i),
  );
  const oneHot = op(g, 'Cast', [op(g, 'Equal', [argmax, iota])], { to: attr.i(1) });
  const routed = op(g, 'Mul', [oneHot, unsqueeze(g, dy, [2 + r])]);
  const back = reshape(g, routed, [
    0,
    0,
    ...ySp.flatMap((o, i) => (r === 2 ? [] : [o, kernel[i]])),
    ...(r === 2 ? [ySp[0], ySp[1], kernel[0], kernel[1]] : []),
  ]);
  const placed = reshape(g, r === 2 ? transpose(g, back, perm) : back, [0, 0, ...used]);
  const rest = xSp.map((d, i) => d - used[i]);
  if (rest.every((v) => v === 0)) return [placed];
  return [op(g, 'Pad', [placed, g.b.int64s('g_pads', [0, 0, ...used.map(() => 0), 0, 0, ...rest])])];
}
