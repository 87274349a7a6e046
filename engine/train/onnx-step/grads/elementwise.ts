/**
 * Gradients of broadcasting arithmetic, elementwise math and reductions. Binary ops sum the
 * gradient over the axes an input was broadcast along (biases, scalars, per-channel scales).
 */
import type { IrNode } from '../../../onnx/values.js';
import { attrInt, attrInts, constInts } from '../shapes.js';
import type { GradContext, GradRegistry } from '../types.js';
import { div, isStatic, mul, normAxis, op, scalar, shapeOf, sub, unbroadcast, unsqueeze } from './util.js';

const out0 = (g: GradContext, n: IrNode) => g.shape(n.outputs[0]);

/** Axes of a Reduce* node, normalised; all axes when empty (noop_with_empty_axes aside). */
function reduceAxesOf(g: GradContext, n: IrNode): number[] {
  const rank = g.shape(n.inputs[0]).length;
  const raw = attrInts(n, 'axes') ?? (n.inputs[1] ? constInts(g.constant(n.inputs[1])) : []);
  if (!raw) throw new Error(`${n.op} "${n.outputs[0]}": axes must be a constant to differentiate`);
  return (raw.length ? raw : Array.from({ length: rank }, (_, i) => i)).map((a) => normAxis(a, rank)).sort((a, b) => a - b);
}

/** dY of a reduction brought back to the input's rank (keepdims=0 axes re-inserted). */
function keptGrad(g: GradContext, n: IrNode, dy: string, axes: number[]): string {
  return attrInt(n, 'keepdims', 1) === 1 ? dy : unsqueeze(g, dy, axes);
}

function noopReduce(g: GradContext, n: IrNode): boolean {
  const raw = attrInts(n, 'axes') ?? (n.inputs[1] ? constInts(g.constant(n.inputs[1])) : []);
  return raw?.length === 0 && attrInt(n, 'noop_with_empty_axes', 0) === 1;
}

/** Elementwise and reduction gradient rules. */
export const elementwiseRules: GradRegistry = {
  Add: (g, n, [dy]) => n.inputs.map((x) => unbroadcast(g, dy!, out0(g, n), x)),
  Sum: (g, n, [dy]) => n.inputs.map((x) => unbroadcast(g, dy!, out0(g, n), x)),
  Sub: (g, n, [dy]) => [unbroadcast(g, dy!, out0(g, n), n.inputs[0]), unbroadcast(g, op(g, 'Neg', [dy!]), out0(g, n), n.inputs[1])],
  Mul: (g, n, [dy]) => {
    const [a, b] = n.inputs;
    return [unbroadcast(g, mul(g, dy!, b), out0(g, n), a), unbroadcast(g, mul(g, dy!, a), out0(g, n), b)];
  },
  Div: (g, n, [dy]) => {
    const [a, b] = n.inputs;
    // d/dB (A/B) = -A/B² = -Y/B, reusing the forward output.
    const da = div(g, dy!, b);
    const db = op(g, 'Neg', [mul(g, da, n.outputs[0])]);
    return [unbroadcast(g, da, out0(g, n), a), unbroadcast(g, db, out0(g, n), b)];
  },
  Pow: (g, n, [dy]) => {
    const [a, b] = n.inputs;
    const exp = g.constant(b)?.data;
    let local: string;
    if (exp && exp.length === 1 && Number(exp[0]) === 2) local = mul(g, a, scalar(g, 2));
    else local = mul(g, b, op(g, 'Pow', [a, sub(g, b, scalar(g, 1))]));
    const da = mul(g, dy!, local);
    // d/dB A^B = Y·ln A; emitted only if B is on a gradient path (dead code is pruned).
    const db = mul(g, dy!, mul(g, n.outputs[0], op(g, 'Log', [a])));
    return [unbroadcast(g, da, out0(g, n), a), unbroadcast(g, db, out0(g, n), b)];
  },
  Neg: (g, _n, [dy]) => [op(g, 'Neg', [dy!])],
  Identity: (_g, _n, [dy]) => [dy],
  // Only float-to-float casts lie on a gradient path (int casts are cut by the autodiff).
  Cast: (_g, _n, [dy]) => [dy],
  Sqrt: (g, n, [dy]) => [div(g, dy!, mul(g, n.outputs[0], scalar(g, 2)))],
  Exp: (g, n, [dy]) => [mul(g, dy!, n.outputs[0])],
  Log: (g, n, [dy]) => [div(g, dy!, n.inputs[0])],
  Reciprocal: (g, n, [dy]) => [op(g, 'Neg', [mul(g, dy!, mul(g, n.outputs[0], n.outputs[0]))])],
  Abs: (g, n, [dy]) => [mul(g, dy!, op(g, 'Sign', [n.inputs[0]]))],
  Expand: (g, n, [dy]) => [unbroadcast(g, dy!, out0(g, n), n.inputs[0]), undefined],
  ReduceSum: (g, n, [dy]) => {
    if (noopReduce(g, n)) return [dy];
    const axes = reduceAxesOf(g, n);
    return [op(g, 'Expand', [keptGrad(g, n, dy!, axes), shapeOf(g, n.inputs[0])]), undefined];
  },
  ReduceMean: (g, n, [dy]) => {
    if (noopReduce(g, n)) return [dy];
    const axes = reduceAxesOf(g, n);
    const x = g.shape(n.inputs[0]);
    const dims = axes.map((a) => x[a]);
    let count: string;
    if (isStatic(dims))
      count = scalar(
        g,
        dims.reduce((p, q) => p * q, 1),
      );
    else {
      // Unknown reduced dims (a variable time axis): count = size(X) / size(Y) at run time.
      const size = (v: string) => op(g, 'Cast', [op(g, 'Size', [v])], { to: { i: 1 } });
      count = div(g, size(n.inputs[0]), size(n.outputs[0]));
    }
    const spread = op(g, 'Expand', [keptGrad(g, n, dy!, axes), shapeOf(g, n.inputs[0])]);
    return [div(g, spread, count), undefined];
  },
  ReduceMax: (g, n, [dy]) => {
    if (noopReduce(g, n)) return [dy];
    const axes = reduceAxesOf(g, n);
    // tf.js semantics: every element equal to the max takes the gradient (ties share it).
    const y = keptGrad(g, n, n.outputs[0], axes);
    const mask = op(g, 'Cast', [op(g, 'Equal', [n.inputs[0], y])], { to: { i: 1 } });
    return [mul(g, mask, keptGrad(g, n, dy!, axes)), undefined];
  },
};
