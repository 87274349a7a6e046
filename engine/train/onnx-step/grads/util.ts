/**
 * Emission helpers shared by the gradient rules: opset-dependent reductions and axis ops,
 * constants, runtime shapes, and the sum-over-broadcast-axes every binary op's gradient
 * needs.
 */
import { attr } from '../../../onnx/values.js';
import type { Shape } from '../shapes.js';
import type { GradContext } from '../types.js';

/** Emits one node and returns its single output. */
export function op(g: GradContext, type: string, inputs: string[], attrs: Parameters<GradContext['b']['node']>[2] = {}): string {
  return g.b.node(type, inputs, attrs)[0];
}

/** A float scalar constant. */
export function scalar(g: GradContext, v: number): string {
  return g.b.floats('g_c', [v], []);
}

/** True when every dimension is known at compile time. */
export function isStatic(s: Shape): s is number[] {
  return s.every((d) => d !== null);
}

/** The runtime shape of `name` as an int64 vector: a constant when static, else a Shape node. */
export function shapeOf(g: GradContext, name: string): string {
  const s = g.shape(name);
  return isStatic(s) ? g.b.int64s('g_shape', s) : op(g, 'Shape', [name]);
}

/** Reshape `x` to the (static or runtime) shape of forward value `like`. */
export function reshapeLike(g: GradContext, x: string, like: string): string {
  return op(g, 'Reshape', [x, shapeOf(g, like)]);
}

/** Reshape to a static target (may hold one -1 or 0-copies). */
export function reshape(g: GradContext, x: string, dims: number[]): string {
  return op(g, 'Reshape', [x, g.b.int64s('g_shape', dims)]);
}

/** ReduceSum over `axes` (axes are an input from opset 13, the lowest we emit). */
export function reduceSum(g: GradContext, x: string, axes: number[], keepdims: boolean): string {
  if (axes.length === 0) return x;
  return op(g, 'ReduceSum', [x, g.b.int64s('g_axes', axes)], { keepdims: attr.i(keepdims ? 1 : 0) });
}

/** ReduceMean/ReduceMax with axes as an attribute below opset 18 and an input from 18. */
export function reduceOp(g: GradContext, type: 'ReduceMean' | 'ReduceMax', x: string, axes: number[], keepdims: boolean): string {
  const k = { keepdims: attr.i(keepdims ? 1 : 0) };
  if (g.b.opset >= 18) return op(g, type, [x, g.b.int64s('g_axes', axes)], k);
  return op(g, type, [x], { ...k, axes: attr.ints(axes) });
}

/** Unsqueeze with axes as an input (opset ≥ 13). */
export function unsqueeze(g: GradContext, x: string, axes: number[]): string {
  return op(g, 'Unsqueeze', [x, g.b.int64s('g_axes', axes)]);
}

/** Transpose. */
export function transpose(g: GradContext, x: string, perm: number[]): string {
  return op(g, 'Transpose', [x], { perm: attr.ints(perm) });
}

/** Elementwise binary ops, named for readability at call sites. */
export const mul = (g: GradContext, a: string, b: string) => op(g, 'Mul', [a, b]);
export const sub = (g: GradContext, a: string, b: string) => op(g, 'Sub', [a, b]);
export const add = (g: GradContext, a: string, b: string) => op(g, 'Add', [a, b]);
export const div = (g: GradContext, a: string, b: string) => op(g, 'Div', [a, b]);

/**
 * Sums a gradient `dy` of shape `outShape` back to the shape of input `input` that was
 * broadcast into it: leading axes it lacks are summed away, and axes where it has size 1
 * are summed with keepdims. Summing a size-1 axis that was not broadcast is harmless, so
 * unknown output dims against an input 1 need no runtime check.
 */
export function unbroadcast(g: GradContext, dy: string, outShape: Shape, input: string): string {
  const inShape = g.shape(input);
  const lead = outShape.length - inShape.length;
  const keepAxes: number[] = [];
  inShape.forEach((d, i) => {
    if (d === 1 && outShape[i + lead] !== 1) keepAxes.push(i + lead);
  });
  const leadAxes = Array.from({ length: lead }, (_, i) => i);
  if (!keepAxes.length && !leadAxes.length) return dy;
  if (isStatic(inShape)) return reshape(g, reduceSum(g, dy, [...leadAxes, ...keepAxes], true), inShape);
  const kept = reduceSum(g, dy, keepAxes, true);
  return reduceSum(g, kept, leadAxes, false);
}

/** Normalises a possibly negative axis. */
export function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}
