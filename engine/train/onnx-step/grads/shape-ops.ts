/**
 * Gradients of data-movement ops: the gradient moves back the way the data came (inverse
 * permutation, reshape to the input's shape, zero-padding what Slice dropped, splitting
 * what Concat joined). Gather (embedding lookups) accumulates rows hit several times.
 */
import { attr } from '../../../onnx/values.js';
import { attrInt, attrInts, attrStr, constInts, sliceRange } from '../shapes.js';
import type { GradContext, GradRegistry } from '../types.js';
import { isStatic, normAxis, op, reshape, reshapeLike, shapeOf, transpose, unsqueeze } from './util.js';

const asInput = (g: GradContext, x: string, dy: string) => [reshapeLike(g, dy, x), undefined];

function constOf(g: GradContext, name: string | undefined, what: string, node: string): number[] {
  const v = name ? constInts(g.constant(name)) : undefined;
  if (!v) throw new Error(`"${node}": ${what} must be a constant to differentiate`);
  return v;
}

/** Zeros shaped like forward value `like` (for outputs that take no gradient). */
function zerosLike(g: GradContext, like: string): string {
  return op(g, 'ConstantOfShape', [shapeOf(g, like)]);
}

/** Data-movement gradient rules. */
export const shapeRules: GradRegistry = {
  Transpose: (g, n, [dy]) => {
    const rank = g.shape(n.inputs[0]).length;
    const perm = attrInts(n, 'perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
    const inv = new Array<number>(rank);
    perm.forEach((p, i) => (inv[p] = i));
    return [transpose(g, dy!, inv)];
  },
  Reshape: (g, n, [dy]) => asInput(g, n.inputs[0], dy!),
  Flatten: (g, n, [dy]) => asInput(g, n.inputs[0], dy!),
  Squeeze: (g, n, [dy]) => asInput(g, n.inputs[0], dy!),
  Unsqueeze: (g, n, [dy]) => asInput(g, n.inputs[0], dy!),
  Slice: (g, n, [dy]) => {
    const x = g.shape(n.inputs[0]);
    const name = n.outputs[0];
    const starts = constOf(g, n.inputs[1], 'Slice starts', name);
    const ends = constOf(g, n.inputs[2], 'Slice ends', name);
    const axes = (n.inputs[3] ? constOf(g, n.inputs[3], 'Slice axes', name) : starts.map((_, i) => i)).map((a) => normAxis(a, x.length));
    const steps = n.inputs[4] ? constOf(g, n.inputs[4], 'Slice steps', name) : starts.map(() => 1);
    const pads = new Array<number>(2 * x.length).fill(0);
    const reversed: number[] = [];
    axes.forEach((a, i) => {
      const dim = x[a];
      if (dim === null) throw new Error(`Slice "${name}": axis ${a} has unknown size`);
      const picked = sliceRange(dim, starts[i], ends[i], steps[i]);
      if (Math.abs(steps[i]) !== 1 || picked.length === 0) throw new Error(`Slice "${name}": only steps ±1 over non-empty ranges are differentiable`);
      const lo = Math.min(picked[0], picked.at(-1)!);
      const hi = Math.max(picked[0], picked.at(-1)!);
      pads[a] = lo;
      pads[a + x.length] = dim - 1 - hi;
      if (steps[i] < 0) reversed.push(a);
    });
    let g1 = dy!;
    if (reversed.length) {
      const ints = (v: number[]) => g.b.int64s('g_rev', v);
      g1 = op(g, 'Slice', [g1, ints(reversed.map(() => -1)), ints(reversed.map(() => Number.MIN_SAFE_INTEGER)), ints(reversed), ints(reversed.map(() => -1))]);
    }
    if (pads.some((p) => p !== 0)) g1 = op(g, 'Pad', [g1, g.b.int64s('g_pads', pads)]);
    return [g1];
  },
  Concat: (g, n, [dy]) => {
    const rank = g.shape(n.inputs[0]).length;
    const axis = normAxis(attrInt(n, 'axis', 0), rank);
    const sizes = n.inputs.map((i) => g.shape(i)[axis]);
    if (!isStatic(sizes)) throw new Error(`Concat "${n.outputs[0]}": inputs need known sizes along axis ${axis}`);
    if (n.inputs.length === 1) return [dy];
    return g.b.node('Split', [dy!, g.b.int64s('g_split', sizes)], { axis: attr.i(axis) }, n.inputs.length);
  },
  Split: (g, n, dOut) => {
    const rank = g.shape(n.inputs[0]).length;
    const axis = normAxis(attrInt(n, 'axis', 0), rank);
    const parts = n.outputs.map((o, i) => dOut[i] ?? zerosLike(g, o));
    return [op(g, 'Concat', parts, { axis: attr.i(axis) }), undefined];
  },
  Pad: (g, n, [dy]) => {
    if (attrStr(n, 'mode', 'constant') !== 'constant') throw new Error(`Pad "${n.outputs[0]}": only constant padding is differentiable`);
    const x = g.shape(n.inputs[0]);
    const raw = attrInts(n, 'pads') ?? constOf(g, n.inputs[1], 'Pad pads', n.outputs[0]);
    const axes = n.inputs[3] ? constOf(g, n.inputs[3], 'Pad axes', n.outputs[0]).map((a) => normAxis(a, x.length)) : x.map((_, i) => i);
    const k = axes.length;
    if (raw.every((p) => p >= 0)) {
      // Crop what was added: end = −pad_end counts from the end (INT64_MAX when zero).
      const starts = raw.slice(0, k);
      const ends = raw.slice(k).map((p) => (p === 0 ? Number.MAX_SAFE_INTEGER : -p));
      return [op(g, 'Slice', [dy!, g.b.int64s('g_starts', starts), g.b.int64s('g_ends', ends), g.b.int64s('g_axes', axes)]), undefined];
    }
    // Negative pads cropped the input: pad the gradient back with zeros where they cut.
    const full = new Array<number>(2 * x.length).fill(0);
    axes.forEach((a, i) => {
      full[a] = -raw[i];
      full[a + x.length] = -raw[i + k];
    });
    return [op(g, 'Pad', [dy!, g.b.int64s('g_pads', full)]), undefined];
  },
  Gather: (g, n, [dy]) => {
    const [data, idx] = n.inputs;
    const ds = g.shape(data);
    const axis = normAxis(attrInt(n, 'axis', 0), ds.length);
    if (axis !== 0 || !isStatic(ds)) throw new Error(`Gather "${n.outputs[0]}": gradients need axis 0 and a static data shape`);
    const rows = ds[0];
    const width = ds.slice(1).reduce((p, q) => p * q, 1);
    if (g.b.opset >= 16) {
      // Repeated ids add up: ScatterND with reduction='add' (opset ≥ 16).
      const ids = unsqueeze(g, op(g, 'Cast', [idx], { to: attr.i(7) }), [-1]);
      const zeros = op(g, 'ConstantOfShape', [g.b.int64s('g_shape', ds)]);
      return [op(g, 'ScatterND', [zeros, ids, dy!], { reduction: attr.s('add') }), undefined];
    }
    // Below 16: one-hot rows times the gradient, one Gemm (the sum over repeats is the product).
    // onnxruntime implements OneHot for int64 indices with int64 depth and float values.
    const ids64 = op(g, 'Cast', [idx], { to: attr.i(7) });
    const hot = op(g, 'OneHot', [ids64, g.b.int64s('g_depth', [rows]), g.b.floats('g_onoff', [0, 1])], { axis: attr.i(-1) });
    const flatHot = reshape(g, hot, [-1, rows]);
    const flatDy = reshape(g, dy!, [-1, width]);
    const dw = op(g, 'Gemm', [flatHot, flatDy], { transA: attr.i(1) });
    return [reshape(g, dw, ds), undefined];
  },
};
