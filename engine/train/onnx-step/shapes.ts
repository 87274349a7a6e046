/**
 * Static shape inference over the builder's IR, so gradient rules know each forward value's
 * shape at compile time (broadcast axes to reduce, ConvTranspose output padding, Split
 * sizes). Dimensions only known at run time (the batch, a variable time axis) are `null`.
 * Ops it does not know leave their outputs unknown rather than failing: only a gradient rule
 * that asks for such a shape fails, naming the value.
 */
import type { Shape } from '../../layers/types.js';
import type { Attr, IrConstant, IrNode } from '../../onnx/values.js';

export type { Shape };

/** Integer attribute or default. */
export function attrInt(n: IrNode, name: string, dflt: number): number {
  const a = n.attrs[name];
  return a && 'i' in a ? a.i : dflt;
}

/** Float attribute or default. */
export function attrFloat(n: IrNode, name: string, dflt: number): number {
  const a = n.attrs[name];
  return a && 'f' in a ? a.f : dflt;
}

/** Integer-list attribute, or undefined when absent. */
export function attrInts(n: IrNode, name: string): number[] | undefined {
  const a: Attr | undefined = n.attrs[name];
  return a && 'ints' in a ? a.ints : undefined;
}

/** String attribute or default. */
export function attrStr(n: IrNode, name: string, dflt: string): string {
  const a = n.attrs[name];
  return a && 's' in a ? a.s : dflt;
}

/** Values of an integer constant (int32 or int64 initializer) as plain numbers. */
export function constInts(c: IrConstant | undefined): number[] | undefined {
  if (!c) return undefined;
  if (c.data instanceof BigInt64Array) return Array.from(c.data, (v) => Number(v));
  return Array.from(c.data);
}

/** NumPy-style broadcast of two shapes; null stays null unless the other side fixes it. */
export function broadcastShapes(a: Shape, b: Shape): Shape {
  const r = Math.max(a.length, b.length);
  const out: Shape = [];
  for (let i = 0; i < r; i++) {
    const x = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
    const y = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
    if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else out.push(x ?? y);
  }
  return out;
}

const norm = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

/**
 * Spatial geometry of a Conv/pool node: kernel, strides, dilations and explicit pads
 * (auto_pad resolved when the input size is known, so gradients can use explicit pads).
 */
export function windowGeometry(n: IrNode, inSpatial: Shape, kernel: number[]): { strides: number[]; dilations: number[]; pads: number[] | null } {
  const k = kernel.length;
  const strides = attrInts(n, 'strides') ?? new Array<number>(k).fill(1);
  const dilations = attrInts(n, 'dilations') ?? new Array<number>(k).fill(1);
  const autoPad = attrStr(n, 'auto_pad', 'NOTSET');
  if (autoPad === 'NOTSET') return { strides, dilations, pads: attrInts(n, 'pads') ?? new Array<number>(2 * k).fill(0) };
  if (autoPad === 'VALID') return { strides, dilations, pads: new Array<number>(2 * k).fill(0) };
  if (inSpatial.some((d) => d === null)) return { strides, dilations, pads: null };
  const begin: number[] = [];
  const end: number[] = [];
  inSpatial.forEach((d, i) => {
    const eff = (kernel[i] - 1) * dilations[i] + 1;
    const out = Math.ceil((d as number) / strides[i]);
    const total = Math.max((out - 1) * strides[i] + eff - (d as number), 0);
    const small = Math.floor(total / 2);
    begin.push(autoPad === 'SAME_LOWER' ? total - small : small);
    end.push(autoPad === 'SAME_LOWER' ? small : total - small);
  });
  return { strides, dilations, pads: [...begin, ...end] };
}

function windowOut(n: IrNode, x: Shape, kernel: number[], channels: number | null): Shape {
  const spatial = x.slice(2);
  const { strides, dilations, pads } = windowGeometry(n, spatial, kernel);
  const ceil = attrInt(n, 'ceil_mode', 0) === 1;
  const out = spatial.map((d, i) => {
    if (d === null) return null;
    const autoPad = attrStr(n, 'auto_pad', 'NOTSET');
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(d / strides[i]);
    const eff = (kernel[i] - 1) * dilations[i] + 1;
    const span = d + pads![i] + pads![i + kernel.length] - eff;
    return (ceil ? Math.ceil(span / strides[i]) : Math.floor(span / strides[i])) + 1;
  });
  return [x[0], channels, ...out];
}

function reduceAxes(n: IrNode, consts: Map<string, IrConstant>): number[] | undefined {
  return attrInts(n, 'axes') ?? (n.inputs[1] ? constInts(consts.get(n.inputs[1])) : []);
}

type Infer = (n: IrNode, ins: (Shape | undefined)[], c: Map<string, IrConstant>) => (Shape | undefined)[] | undefined;

const same: Infer = (_n, [x]) => (x ? [x] : undefined);
const bcast: Infer = (_n, ins) => (ins.every((s) => s) ? [ins.reduce((a, b) => broadcastShapes(a!, b!))] : undefined);

const rules: Record<string, Infer> = {
  MatMul: (_n, [a, b]) => {
    if (!a || !b || a.length < 2 || b.length < 2) return undefined;
    return [[...broadcastShapes(a.slice(0, -2), b.slice(0, -2)), a[a.length - 2], b[b.length - 1]]];
  },
  Gemm: (n, [a, b]) => (a && b ? [[attrInt(n, 'transA', 0) ? a[1] : a[0], attrInt(n, 'transB', 0) ? b[0] : b[1]]] : undefined),
  Conv: (n, [x, w]) => (x && w ? [windowOut(n, x, attrInts(n, 'kernel_shape') ?? (w.slice(2) as number[]), w[0])] : undefined),
  ConvTranspose: (n, [x, w]) => {
    if (!x || !w) return undefined;
    const kernel = attrInts(n, 'kernel_shape') ?? (w.slice(2) as number[]);
    const channels = w[1] === null ? null : w[1] * attrInt(n, 'group', 1);
    const fixed = attrInts(n, 'output_shape');
    if (fixed) return [[x[0], channels, ...fixed.slice(-kernel.length)]];
    const k = kernel.length;
    const strides = attrInts(n, 'strides') ?? new Array<number>(k).fill(1);
    const dil = attrInts(n, 'dilations') ?? new Array<number>(k).fill(1);
    const pads = attrInts(n, 'pads') ?? new Array<number>(2 * k).fill(0);
    const op = attrInts(n, 'output_padding') ?? new Array<number>(k).fill(0);
    const auto = attrStr(n, 'auto_pad', 'NOTSET');
    const out = x.slice(2).map((d, i) => {
      if (d === null) return null;
      if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') return d * strides[i];
      const p = auto === 'VALID' ? 0 : pads[i] + pads[i + k];
      return strides[i] * (d - 1) + op[i] + (kernel[i] - 1) * dil[i] + 1 - p;
    });
    return [[x[0], channels, ...out]];
  },
  MaxPool: (n, [x]) => {
    if (!x) return undefined;
    const y = windowOut(n, x, attrInts(n, 'kernel_shape')!, x[1]);
    return [y, y];
  },
  AveragePool: (n, [x]) => (x ? [windowOut(n, x, attrInts(n, 'kernel_shape')!, x[1])] : undefined),
  GlobalAveragePool: (_n, [x]) => (x ? [[x[0], x[1], ...x.slice(2).map(() => 1)]] : undefined),
  GlobalMaxPool: (_n, [x]) => (x ? [[x[0], x[1], ...x.slice(2).map(() => 1)]] : undefined),
  BatchNormalization: (_n, [x]) => (x ? [x, [x[1]], [x[1]]] : undefined),
  LayerNormalization: (n, [x]) => {
    if (!x) return undefined;
    const axis = norm(attrInt(n, 'axis', -1), x.length);
    const stat = x.map((d, i) => (i < axis ? d : 1));
    return [x, stat, stat];
  },
  Transpose: (n, [x]) => {
    if (!x) return undefined;
    const perm = attrInts(n, 'perm') ?? x.map((_, i) => x.length - 1 - i);
    return [perm.map((p) => x[p])];
  },
  Reshape: (n, [x], c) => {
    const target = constInts(c.get(n.inputs[1]));
    if (!x || !target) return undefined;
    const allowZero = attrInt(n, 'allowzero', 0) === 1;
    const out: Shape = target.map((d, i) => (d === 0 && !allowZero ? x[i] : d === -1 ? null : d));
    // The -1 dimension is computable when every unknown input dim is copied through by a 0
    // (the batch in [0, -1]): those cancel and the known dims fix the rest.
    const hole = target.indexOf(-1);
    const known = (s: Shape) => (s.filter((d) => d !== null) as number[]).reduce((p, q) => p * q, 1);
    const inNulls = x.filter((d) => d === null).length;
    const copied = out.filter((d, i) => i !== hole && d === null).length;
    const copiedOnly = out.every((d, i) => i === hole || d !== null || (target[i] === 0 && !allowZero));
    if (hole >= 0 && inNulls === copied && copiedOnly) out[hole] = known(x) / known(out.filter((_, i) => i !== hole));
    return [out];
  },
  Flatten: (n, [x]) => {
    if (!x) return undefined;
    const axis = norm(attrInt(n, 'axis', 1), x.length);
    const prod = (s: Shape) => (s.some((d) => d === null) ? null : (s as number[]).reduce((p, q) => p * q, 1));
    return [[prod(x.slice(0, axis)), prod(x.slice(axis))]];
  },
  Squeeze: (n, [x], c) => {
    if (!x) return undefined;
    const axes = (attrInts(n, 'axes') ?? constInts(c.get(n.inputs[1] ?? '')))?.map((a) => norm(a, x.length));
    return [x.filter((d, i) => (axes ? !axes.includes(i) : d !== 1))];
  },
  Unsqueeze: (n, [x], c) => {
    const raw = attrInts(n, 'axes') ?? constInts(c.get(n.inputs[1] ?? ''));
    if (!x || !raw) return undefined;
    const rank = x.length + raw.length;
    const axes = raw.map((a) => norm(a, rank));
    const out: Shape = [];
    let j = 0;
    for (let i = 0; i < rank; i++) out.push(axes.includes(i) ? 1 : x[j++]);
    return [out];
  },
  Slice: (n, [x], c) => {
    if (!x) return undefined;
    const starts = constInts(c.get(n.inputs[1]));
    const ends = constInts(c.get(n.inputs[2]));
    if (!starts || !ends) return undefined;
    const axes = (n.inputs[3] ? constInts(c.get(n.inputs[3])) : starts.map((_, i) => i))?.map((a) => norm(a, x.length));
    const steps = n.inputs[4] ? constInts(c.get(n.inputs[4])) : starts.map(() => 1);
    if (!axes || !steps) return undefined;
    const out = x.slice();
    axes.forEach((a, i) => {
      const d = x[a];
      out[a] = d === null ? null : sliceRange(d, starts[i], ends[i], steps[i]).length;
    });
    return [out];
  },
  Concat: (n, ins) => {
    if (ins.some((s) => !s)) return undefined;
    const axis = norm(attrInt(n, 'axis', 0), ins[0]!.length);
    const out = ins[0]!.slice();
    out[axis] = ins.some((s) => s![axis] === null) ? null : ins.reduce((p, s) => p + (s![axis] as number), 0);
    return [out];
  },
  Split: (n, [x], c) => {
    if (!x) return undefined;
    const axis = norm(attrInt(n, 'axis', 0), x.length);
    const split = attrInts(n, 'split') ?? constInts(c.get(n.inputs[1] ?? ''));
    const count = n.outputs.length;
    const sizes = split ?? (x[axis] === null ? new Array(count).fill(null) : new Array(count).fill(Math.ceil((x[axis] as number) / count)));
    return sizes.map((s: number | null) => x.map((d, i) => (i === axis ? s : d)));
  },
  Pad: (n, [x], c) => {
    const pads = attrInts(n, 'pads') ?? constInts(c.get(n.inputs[1]));
    if (!x || !pads) return undefined;
    const axes = (n.inputs[3] ? constInts(c.get(n.inputs[3])) : x.map((_, i) => i))!.map((a) => norm(a, x.length));
    const out = x.slice();
    axes.forEach((a, i) => (out[a] = x[a] === null ? null : (x[a] as number) + pads[i] + pads[i + axes.length]));
    return [out];
  },
  Gather: (n, [x, idx]) => {
    if (!x || !idx) return undefined;
    const axis = norm(attrInt(n, 'axis', 0), x.length);
    return [[...x.slice(0, axis), ...idx, ...x.slice(axis + 1)]];
  },
  GatherElements: (_n, [, idx]) => (idx ? [idx] : undefined),
  Resize: (n, [x], c) => {
    if (!x) return undefined;
    const sizes = n.inputs[3] ? constInts(c.get(n.inputs[3])) : undefined;
    if (sizes) return [sizes];
    const scales = n.inputs[2] ? c.get(n.inputs[2])?.data : undefined;
    if (!scales) return undefined;
    return [x.map((d, i) => (d === null ? null : Math.floor(d * Number(scales[i]))))];
  },
  Shape: (_n, [x]) => (x ? [[x.length]] : undefined),
  Size: () => [[]],
  ConstantOfShape: (n, _i, c) => {
    const s = constInts(c.get(n.inputs[0]));
    return s ? [s] : undefined;
  },
  Expand: (n, [x], c) => {
    const s = constInts(c.get(n.inputs[1]));
    return x && s ? [broadcastShapes(x, s)] : undefined;
  },
  OneHot: (n, [idx], c) => {
    const depth = c.get(n.inputs[1])?.data;
    if (!idx || !depth) return undefined;
    const axis = attrInt(n, 'axis', -1);
    const out = idx.slice();
    out.splice(axis < 0 ? idx.length + 1 + axis : axis, 0, Number(depth[0]));
    return [out];
  },
  LSTM: recurrent,
  GRU: recurrent,
  RNN: recurrent,
};

function recurrent(n: IrNode, [x]: (Shape | undefined)[]): (Shape | undefined)[] | undefined {
  if (!x) return undefined;
  const h = attrInt(n, 'hidden_size', 0);
  const dirs = attrStr(n, 'direction', 'forward') === 'bidirectional' ? 2 : 1;
  return [
    [x[0], dirs, x[1], h],
    [dirs, x[1], h],
    [dirs, x[1], h],
  ];
}

for (const op of ['ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL2', 'ReduceSumSquare', 'ReduceLogSumExp']) {
  rules[op] = (n, [x], c) => {
    if (!x) return undefined;
    const raw = reduceAxes(n, c);
    if (!raw) return undefined;
    const all = raw.length === 0;
    if (all && attrInt(n, 'noop_with_empty_axes', 0) === 1) return [x];
    const axes = raw.map((a) => norm(a, x.length));
    const keep = attrInt(n, 'keepdims', 1) === 1;
    const out: Shape = [];
    x.forEach((d, i) => {
      if (all || axes.includes(i)) {
        if (keep) out.push(1);
      } else out.push(d);
    });
    return [out];
  };
}
for (const op of ['ArgMax', 'ArgMin']) {
  rules[op] = (n, [x]) => {
    if (!x) return undefined;
    const axis = norm(attrInt(n, 'axis', 0), x.length);
    const keep = attrInt(n, 'keepdims', 1) === 1;
    return [keep ? x.map((d, i) => (i === axis ? 1 : d)) : x.filter((_, i) => i !== axis)];
  };
}
const UNARY =
  'Relu LeakyRelu Elu Selu Sigmoid Tanh Softmax LogSoftmax Erf Identity Cast Sqrt Neg Exp Log Abs Reciprocal Dropout Clip Not Floor Ceil Round Sign Softplus HardSigmoid HardSwish Gelu IsNaN IsInf ScatterND ScatterElements';
for (const op of UNARY.split(' ')) rules[op] = same;
for (const op of 'Add Sub Mul Div Pow Equal Greater Less GreaterOrEqual LessOrEqual And Or Xor Where Sum Max Min Mean Mod PRelu'.split(' ')) rules[op] = bcast;

/** The indices Slice selects on an axis of size `dim` (ONNX clamping rules). */
export function sliceRange(dim: number, start: number, end: number, step: number): number[] {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = clamp(s, 0, dim);
    e = clamp(e, 0, dim);
  } else {
    s = clamp(s, 0, dim - 1);
    e = clamp(e, -1, dim - 1);
  }
  const out: number[] = [];
  for (let i = s; step > 0 ? i < e : i > e; i += step) out.push(i);
  return out;
}

/**
 * Infers the static shape of every value reachable from `known` (graph inputs) and the
 * constants, walking `nodes` in order. Returns a new map including `known` and the constants.
 */
export function inferIrShapes(nodes: IrNode[], known: Map<string, Shape>, constants: Map<string, IrConstant>): Map<string, Shape> {
  const shapes = new Map<string, Shape>(known);
  for (const [name, c] of constants) if (!shapes.has(name)) shapes.set(name, c.dims.slice());
  for (const n of nodes) {
    const rule = n.domain === '' || n.domain === 'ai.onnx' ? rules[n.op] : undefined;
    if (!rule) continue;
    const outs = rule(
      n,
      n.inputs.map((i) => (i === '' ? undefined : shapes.get(i))),
      constants,
    );
    outs?.forEach((s, i) => {
      if (s && n.outputs[i]) shapes.set(n.outputs[i], s);
    });
  }
  return shapes;
}
