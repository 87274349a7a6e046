/**
 * Gradients of pooling ops.
 *
 * MaxPool: the forward node gains an Indices output (onnxruntime flattens them over the
 * whole N·C·H·W tensor), and dY is scattered to those positions. Overlapping windows can
 * pick one input twice, so they need ScatterElements' reduction='add' (opset ≥ 16);
 * non-overlapping windows scatter without reduction at any opset.
 * AveragePool: non-overlapping unpadded windows spread dY by Expand + Reshape; otherwise dY
 * is divided by each window's element count (count_include_pad=0 excludes padding, computed
 * at compile time) and spread by a ConvTranspose with a ones kernel.
 */
import { attr, type IrNode } from '../../../onnx/values.js';
import { attrInt, attrInts, windowGeometry } from '../shapes.js';
import type { GradContext, GradRegistry } from '../types.js';
import { maxPoolByArgMax } from './maxpool-argmax.js';
import { div, isStatic, mul, op, reshape, reshapeLike, scalar, shapeOf, unsqueeze } from './util.js';

const FLOAT = { to: attr.i(1) };

function staticSpatial(g: GradContext, n: IrNode, name: string): number[] {
  const s = g.shape(name).slice(2);
  if (!isStatic(s)) throw new Error(`${n.op} "${n.outputs[0]}": gradients need known spatial sizes`);
  return s;
}

function poolGeometry(g: GradContext, n: IrNode) {
  const xSp = staticSpatial(g, n, n.inputs[0]);
  const ySp = staticSpatial(g, n, n.outputs[0]);
  const kernel = attrInts(n, 'kernel_shape')!;
  const geo = windowGeometry(n, xSp, kernel);
  return { xSp, ySp, kernel, strides: geo.strides, dilations: geo.dilations, pads: geo.pads! };
}

/** How many in-bounds inputs each window position covers along one axis. */
function axisCounts(size: number, out: number, k: number, s: number, d: number, padBegin: number): number[] {
  return Array.from({ length: out }, (_, o) => {
    let c = 0;
    for (let t = 0; t < k; t++) {
      const j = o * s - padBegin + t * d;
      if (j >= 0 && j < size) c++;
    }
    return c;
  });
}

/** Pooling gradient rules. */
export const poolRules: GradRegistry = {
  MaxPool: (g, n, [dy]) => {
    if (g.provider === 'webgpu') return maxPoolByArgMax(g, n, dy!);
    const x = n.inputs[0];
    const { kernel, strides, dilations } = poolGeometry(g, n);
    if (n.outputs.length < 2) n.outputs.push(g.b.fresh(`${n.outputs[0]}_indices`));
    const overlap = kernel.some((k, i) => strides[i] < (k - 1) * dilations[i] + 1);
    if (overlap && g.b.opset < 16) {
      throw new Error(`MaxPool "${n.outputs[0]}": overlapping windows need opset ≥ 16 (ScatterElements reduction) to differentiate`);
    }
    const zeros = reshape(g, op(g, 'ConstantOfShape', [shapeOf(g, x)]), [-1]);
    const idx = reshape(g, n.outputs[1], [-1]);
    const upd = reshape(g, dy!, [-1]);
    const scattered = op(g, 'ScatterElements', [zeros, idx, upd], { axis: attr.i(0), ...(overlap ? { reduction: attr.s('add') } : {}) });
    return [reshapeLike(g, scattered, x)];
  },
  AveragePool: (g, n, [dy]) => {
    const x = n.inputs[0];
    if (attrInt(n, 'ceil_mode', 0) === 1) throw new Error(`AveragePool "${n.outputs[0]}": ceil_mode gradients are not supported`);
    const { xSp, ySp, kernel, strides, dilations, pads } = poolGeometry(g, n);
    const r = kernel.length;
    const size = kernel.reduce((p, q) => p * q, 1);
    const tiled = kernel.every((k, i) => strides[i] === k && dilations[i] === 1) && pads.every((p) => p === 0);
    if (tiled) {
      // Each input lies in at most one window: repeat dY k times along each axis.
      const axes = kernel.map((_, i) => 3 + 2 * i);
      const expanded = op(g, 'Expand', [unsqueeze(g, dy!, axes), g.b.int64s('g_tile', [1, 1, ...kernel.flatMap((k) => [1, k])])]);
      let spread = reshape(g, expanded, [0, 0, ...ySp.map((o, i) => o * kernel[i])]);
      const rest = xSp.map((d, i) => d - ySp[i] * kernel[i]);
      if (rest.some((v) => v > 0)) spread = op(g, 'Pad', [spread, g.b.int64s('g_pads', [0, 0, ...kernel.map(() => 0), 0, 0, ...rest])]);
      return [mul(g, spread, scalar(g, 1 / size))];
    }
    let scaled: string;
    if (attrInt(n, 'count_include_pad', 0) === 1) scaled = mul(g, dy!, scalar(g, 1 / size));
    else {
      const per = xSp.map((d, i) => axisCounts(d, ySp[i], kernel[i], strides[i], dilations[i], pads[i]));
      const counts = new Float32Array(ySp.reduce((p, q) => p * q, 1));
      counts.forEach((_, flat) => {
        let rem = flat;
        let c = 1;
        for (let i = r - 1; i >= 0; i--) {
          c *= per[i][rem % ySp[i]];
          rem = Math.floor(rem / ySp[i]);
        }
        counts[flat] = c;
      });
      scaled = div(g, dy!, g.b.weight('g_counts', counts, ySp));
    }
    const eff = kernel.map((k, i) => (k - 1) * dilations[i] + 1);
    const outputPadding = xSp.map((d, i) => d - (strides[i] * (ySp[i] - 1) + eff[i] - pads[i] - pads[i + r]));
    // One channel per image-plane: N·C planes through a single ones kernel.
    const planes = reshape(g, scaled, [-1, 1, ...ySp]);
    const spread = op(g, 'ConvTranspose', [planes, g.b.weight('g_ones', new Float32Array(size).fill(1), [1, 1, ...kernel])], {
      kernel_shape: attr.ints(kernel),
      strides: attr.ints(strides),
      dilations: attr.ints(dilations),
      pads: attr.ints(pads),
      ...(outputPadding.some((p) => p !== 0) ? { output_padding: attr.ints(outputPadding) } : {}),
    });
    return [reshapeLike(g, spread, x)];
  },
  GlobalAveragePool: (g, n, [dy]) => {
    const x = n.inputs[0];
    const sp = g.shape(x).slice(2);
    const spread = op(g, 'Expand', [dy!, shapeOf(g, x)]);
    if (isStatic(sp)) return [mul(g, spread, scalar(g, 1 / sp.reduce((p, q) => p * q, 1)))];
    const size = (v: string) => op(g, 'Cast', [op(g, 'Size', [v])], FLOAT);
    return [div(g, spread, div(g, size(x), size(n.outputs[0])))];
  },
  GlobalMaxPool: (g, n, [dy]) => {
    // Every element equal to its plane's max takes the gradient, as tf.js's max does.
    const mask = op(g, 'Cast', [op(g, 'Equal', [n.inputs[0], n.outputs[0]])], FLOAT);
    return [mul(g, mask, dy!)];
  },
};
