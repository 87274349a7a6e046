/**
 * Gradient of Resize (nearest / linear, as UpSampling2D emits it). Resize is linear and
 * separable per axis, so each resized axis is an [out, in] interpolation matrix built at
 * compile time with onnxruntime's coordinate rules; the gradient applies the transposes:
 * the last axis as dY·M, the one before as Mᵀ·dY (MatMul broadcasts over the rest), with
 * no Transpose nodes.
 */
import type { IrNode } from '../../../onnx/values.js';
import { attrInt, attrStr } from '../shapes.js';
import type { GradRegistry } from '../types.js';
import { op } from './util.js';

/** The source coordinate of output index `o` (ONNX coordinate_transformation_mode). */
function sourceCoord(mode: string, o: number, scale: number, inSize: number, outSize: number, node: string): number {
  switch (mode) {
    case 'half_pixel':
      return (o + 0.5) / scale - 0.5;
    case 'pytorch_half_pixel':
      return outSize > 1 ? (o + 0.5) / scale - 0.5 : 0;
    case 'align_corners':
      return outSize === 1 ? 0 : (o * (inSize - 1)) / (outSize - 1);
    case 'asymmetric':
      return o / scale;
    case 'tf_half_pixel_for_nn':
      return (o + 0.5) / scale;
    default:
      throw new Error(`Resize "${node}": coordinate_transformation_mode ${mode} is not differentiable here`);
  }
}

function nearestIndex(mode: string, x: number): number {
  const frac = x - Math.floor(x);
  switch (mode) {
    case 'floor':
      return Math.floor(x);
    case 'ceil':
      return Math.ceil(x);
    case 'round_prefer_ceil':
      return frac === 0.5 ? Math.ceil(x) : Math.round(x);
    default: // round_prefer_floor
      return frac === 0.5 ? Math.floor(x) : Math.round(x);
  }
}

/**
 * Row-major [outSize, inSize] interpolation matrix of one axis: row o holds the weights
 * output o takes from each input.
 */
export function resizeMatrix(n: IrNode, inSize: number, outSize: number, scale: number): Float32Array {
  const mode = attrStr(n, 'mode', 'nearest');
  const coord = attrStr(n, 'coordinate_transformation_mode', 'half_pixel');
  const m = new Float32Array(outSize * inSize);
  for (let o = 0; o < outSize; o++) {
    const x = sourceCoord(coord, o, scale, inSize, outSize, n.outputs[0]);
    if (mode === 'nearest') {
      const i = Math.min(Math.max(nearestIndex(attrStr(n, 'nearest_mode', 'round_prefer_floor'), x), 0), inSize - 1);
      m[o * inSize + i] += 1;
    } else if (mode === 'linear') {
      const xc = Math.min(Math.max(x, 0), inSize - 1);
      const x0 = Math.floor(xc);
      const x1 = Math.min(x0 + 1, inSize - 1);
      const w = xc - x0;
      m[o * inSize + x0] += 1 - w;
      m[o * inSize + x1] += w;
    } else throw new Error(`Resize "${n.outputs[0]}": mode ${mode} is not differentiable here`);
  }
  return m;
}

/** Resize gradient rule. */
export const resizeRules: GradRegistry = {
  Resize: (g, n, [dy]) => {
    if (attrInt(n, 'antialias', 0) === 1) throw new Error(`Resize "${n.outputs[0]}": antialias is not differentiable here`);
    const xs = g.shape(n.inputs[0]);
    const ys = g.shape(n.outputs[0]);
    const scalesData = n.inputs[2] ? g.constant(n.inputs[2])?.data : undefined;
    const rank = xs.length;
    let grad = dy!;
    for (let a = 0; a < rank; a++) {
      const inSize = xs[a];
      const outSize = ys[a];
      const scale = scalesData && scalesData.length === rank ? Number(scalesData[a]) : inSize && outSize ? outSize / inSize : 1;
      if (inSize === outSize && scale === 1) continue;
      if (inSize === null || outSize === null || a < rank - 2) {
        throw new Error(`Resize "${n.outputs[0]}": only the last two axes may be resized, with known sizes`);
      }
      const m = g.b.weight('g_resize', resizeMatrix(n, inSize, outSize, scale), [outSize, inSize]);
      if (a === rank - 1) grad = op(g, 'MatMul', [grad, m]);
      else grad = op(g, 'MatMul', [op(g, 'Transpose', [m]), grad]);
    }
    return [grad];
  },
};
